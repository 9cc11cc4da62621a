"""Score split_sentences on the English Golden Rules and time it; prints the figures as JSON.

Usage: python benchmarks/eval_segmentation.py [golden_rules.jsonl]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from claims.segmentation import split_sentences

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = REPO_ROOT.parent / "shared" / "data" / "sbd" / "golden_rules_en.jsonl"
THROUGHPUT_TEXTS = (
    REPO_ROOT.parent / "shared" / "seed" / "000_8886c494cf3526de.txt",
    REPO_ROOT / "samples" / "harbour_exercise.txt",
)
THROUGHPUT_BYTES = 5_000_000
THROUGHPUT_RUNS = 5

Span = tuple[int, int]


def score_golden_rules(path: Path) -> dict[str, object]:
    """Exact-match cases plus exact-sentence precision, recall and F1 over all spans."""
    passed = total = true_positives = predicted_count = gold_count = 0
    failed: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        gold: list[Span] = [(start, end) for start, end in case["spans"]]
        predicted: list[Span] = [(s.start, s.end) for s in split_sentences(case["text"])]
        total += 1
        if predicted == gold:
            passed += 1
        else:
            failed.append(case["id"])
        true_positives += len(set(predicted) & set(gold))
        predicted_count += len(predicted)
        gold_count += len(gold)
    precision = true_positives / predicted_count if predicted_count else 0.0
    recall = true_positives / gold_count if gold_count else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "golden_rules_passed": passed,
        "golden_rules_total": total,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "failed_ids": failed,
    }


def throughput_mb_s() -> float:
    """Median MB/s (UTF-8 bytes) over several runs on the news texts repeated to ~5 MB.

    The text repeats, so nupunkt's per-context decision memo is warm after the first copy;
    this measures the steady state on familiar text, an upper bound for novel text.
    """
    articles = [path.read_text(encoding="utf-8") for path in THROUGHPUT_TEXTS if path.exists()]
    unit = "\n".join(articles) + "\n"
    text = unit * max(1, THROUGHPUT_BYTES // len(unit.encode("utf-8")))
    size_mb = len(text.encode("utf-8")) / 1_000_000
    timings = []
    for _ in range(THROUGHPUT_RUNS):
        began = time.perf_counter()
        split_sentences(text)
        timings.append(time.perf_counter() - began)
    return round(size_mb / statistics.median(timings), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD)
    arguments = parser.parse_args()
    figures = score_golden_rules(arguments.gold)
    failed = figures.pop("failed_ids")
    figures["throughput_mb_s"] = throughput_mb_s()
    figures["failed_ids"] = failed
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
