"""How well the suggester picks what is worth checking, cross-validated; prints JSON.

    .venv/bin/python benchmarks/eval_suggestions.py [--claimbuster PATH] [--checkthat DIR] [--folds 5]

- ClaimBuster (debate sentences labelled check-worthy or not): 5-fold CV, the model retrained on
  the other folds and every CheckThat transcript, Platt scaling fitted inside the training folds.
  A sentence counts as check-worthy when one of its suggestions scores 0.5 or more; average
  precision ranks sentences by their best suggestion's score.
- CheckThat-2019 training transcripts (sentences factcheck.org checked): grouped 5-fold CV, a
  transcript never split, the model trained on ClaimBuster and the other transcripts; each
  transcript is read as one document and its sentences ranked by their best suggestion; the mean
  of the transcripts' average precision (MAP). Baseline: "contains a number".
- The share of sentences the default view underlines on news text: the project's sample articles,
  the seed article in ../shared/seed when present.
- Throughput of the shipped suggester on ClaimBuster sentences one at a time.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from claims.formats.articles import read_article_file
from claims.models import Sentence
from claims.suggest.checkworthiness import sigmoid
from claims.suggest.engine import Suggester, default_suggester, suggest_claims
from claims.suggest.ranking import SuggestionView, in_view
from claims.suggest.training import (
    Settings,
    TrainingData,
    calibrated,
    fit_platt,
    fold_of,
    load_claimbuster,
    mean_average_precision,
    scores_and_figures,
)

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
NEWS = [*sorted((REPO / "samples").glob("*.txt")), *sorted((REPO.parent / "shared" / "seed").glob("*.txt"))]
NUMBER = re.compile(
    r"(?i)\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|percent|half|dozen)\b"
)


def best_scores(suggester: Suggester, text: str, sentences: Sequence[Sentence]) -> list[float]:
    best = [0.0] * len(sentences)
    for suggestion in suggester.suggest(text, sentences):
        best[suggestion.sentence_index] = max(best[suggestion.sentence_index], suggestion.score)
    return best


def claimbuster_figures(
    data: TrainingData, texts: Sequence[str], settings: Settings, folds: int
) -> dict[str, object]:
    """Each fold's model trained on the other folds and every transcript; Platt's two parameters are
    fitted on all the out-of-fold logits (a monotone map: average precision is the same without it)."""
    assignment = fold_of(len(texts), folds)
    models = [
        data.fit(settings, [int(i) for i in np.flatnonzero(assignment != fold)]) for fold in range(folds)
    ]
    logits = [models[assignment[i]].logit_of_features(row) for i, row in enumerate(data.claimbuster)]
    scale, shift = fit_platt(logits, data.claimbuster_labels)
    scores = [0.0] * len(texts)
    for fold, model in enumerate(models):
        suggester = Suggester(calibrated(model, scale, shift))
        for i in np.flatnonzero(assignment == fold):
            text = texts[i]
            sentence = Sentence(index=0, paragraph=0, start=0, end=len(text), text=text)
            scores[i] = max(best_scores(suggester, text, [sentence]))
    calibrated_model = [sigmoid(scale * x + shift) for x in logits]
    return {
        "suggester": scores_and_figures(data.claimbuster_labels, scores),
        "sentence_model_calibrated": scores_and_figures(data.claimbuster_labels, calibrated_model),
        "calibration": {"scale": round(scale, 4), "shift": round(shift, 4)},
    }


def checkthat_figures(
    data: TrainingData, texts: Sequence[str], settings: Settings, folds: int
) -> dict[str, object]:
    """ClaimBuster holds sentences of the same 2016 debates: those are left out of training here."""
    labels = [t.labels for t in data.transcripts]
    in_transcripts = {_normal(line) for t in data.transcripts for line in t.lines}
    claimbuster = [i for i, text in enumerate(texts) if _normal(text) not in in_transcripts]
    scores: list[list[float]] = []
    raw = []
    for fold in range(folds):
        held = [t for t in range(len(data.transcripts)) if t % folds == fold]
        model = data.fit(
            settings, claimbuster, [t for t in range(len(data.transcripts)) if t % folds != fold]
        )
        suggester = Suggester(model)
        for t in held:
            text, sentences = data.transcripts[t].as_document()
            raw.append(
                (
                    t,
                    best_scores(suggester, text, sentences),
                    [model.probability_of_features(f) for f in data.transcript_features[t]],
                )
            )
    raw.sort()
    scores = [s for _, s, _ in raw]
    model_only = [m for _, _, m in raw]
    number = [[1.0 if NUMBER.search(line) else 0.0 for line in t.lines] for t in data.transcripts]
    return {
        "transcripts": len(labels),
        "claimbuster_sentences_left_out_as_also_in_transcripts": len(texts) - len(claimbuster),
        "sentences": sum(len(x) for x in labels),
        "positives": sum(sum(x) for x in labels),
        f"map_grouped_{folds}_fold": round(mean_average_precision(labels, scores), 4),
        "map_sentence_model_alone": round(mean_average_precision(labels, model_only), 4),
        "map_contains_a_number": round(mean_average_precision(labels, number), 4),
    }


def _normal(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def news_share() -> dict[str, object]:
    articles = []
    for path in NEWS:
        for article in read_article_file(path):
            every = suggest_claims(article.text, article.sentences)
            shown = in_view(every, len(article.sentences), SuggestionView.BEST)
            worth = in_view(every, len(article.sentences), SuggestionView.ALL)
            articles.append({
                "file": path.name,
                "sentences": len(article.sentences),
                "shown_by_default": len({s.sentence_index for s in shown}),
                "suggestions_shown": len(shown),
                "sentences_worth_checking": len({s.sentence_index for s in worth}),
                "candidates": len(every),
            })  # fmt: skip
    total = sum(a["sentences"] for a in articles)
    shown_total = sum(a["shown_by_default"] for a in articles)
    return {"articles": articles, "share_shown_by_default": round(shown_total / max(total, 1), 4)}


def throughput(texts: Sequence[str]) -> dict[str, float]:
    default_suggester()  # load the weights before timing
    started = time.perf_counter()
    suggestions = sum(len(suggest_claims(text)) for text in texts)
    elapsed = time.perf_counter() - started
    return {"sentences": len(texts), "seconds": round(elapsed, 2),
            "sentences_per_second": round(len(texts) / elapsed, 1), "suggestions": suggestions}  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claimbuster", type=Path, default=DATA / "claimbuster" / "train.json")
    parser.add_argument("--checkthat", type=Path, default=DATA / "checkthat2019_train")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--skip", nargs="*", default=[], choices=["claimbuster", "checkthat", "throughput"])
    args = parser.parse_args(argv)
    settings = Settings()
    texts, _ = load_claimbuster(args.claimbuster)
    data = TrainingData.load(args.claimbuster, args.checkthat)
    report: dict[str, object] = {"news": news_share()}
    if "checkthat" not in args.skip and data.transcripts:
        report["checkthat2019_train"] = checkthat_figures(data, texts, settings, args.folds)
    if "claimbuster" not in args.skip:
        figures = claimbuster_figures(data, texts, settings, args.folds)
        report["claimbuster"] = {"sentences": len(texts), "positives": sum(data.claimbuster_labels),
                                 f"cv_{args.folds}_fold": figures}  # fmt: skip
    if "throughput" not in args.skip:
        report["throughput"] = throughput(texts)
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
