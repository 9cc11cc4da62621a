"""Train the check-worthiness model on ClaimBuster and CheckThat-2019; write its weights to
claims/suggest/data/checkworthiness.json.

    .venv/bin/python benchmarks/train_checkworthiness.py [--claimbuster PATH] [--checkthat DIR] [--out PATH]

The training itself is claims.suggest.training's: a logistic regression over the suggester's own
sentence features, then Platt scaling fitted on the ClaimBuster sentences' 5-fold out-of-fold logits,
so that 0.5 means "worth checking". Prints the cross-validated figures as JSON before writing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from claims.suggest.checkworthiness import sigmoid
from claims.suggest.training import (
    Settings,
    TrainingData,
    calibrated,
    claimbuster_out_of_fold_logits,
    fit_platt,
    scores_and_figures,
)

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "claims" / "suggest" / "data" / "checkworthiness.json"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claimbuster", type=Path, default=DATA / "claimbuster" / "train.json")
    parser.add_argument("--checkthat", type=Path, default=DATA / "checkthat2019_train")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--l2", type=float, default=Settings.l2)
    parser.add_argument("--checkthat-weight", type=float, default=Settings.checkthat_weight)
    parser.add_argument("--no-write", action="store_true", help="print the CV figures only")
    args = parser.parse_args(argv)
    settings = Settings(l2=args.l2, checkthat_weight=args.checkthat_weight)
    data = TrainingData.load(args.claimbuster, args.checkthat)
    logits = claimbuster_out_of_fold_logits(data, settings)
    scale, shift = fit_platt(list(logits), data.claimbuster_labels)
    probabilities = [sigmoid(scale * x + shift) for x in logits]
    report: dict[str, object] = {
        "settings": settings.__dict__,
        "calibration": {"scale": round(scale, 4), "shift": round(shift, 4)},
        "cv_sentence_model_calibrated": scores_and_figures(data.claimbuster_labels, probabilities),
    }
    if not args.no_write:
        model = calibrated(data.fit(settings), scale, shift)
        model.save(args.out)
        report["weights"] = {
            "path": str(args.out),
            "features": len(model.weights),
            "bytes": args.out.stat().st_size,
        }
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
