"""Cross-language paraphrase: `python -m bench align --data tests/data/parallel`.

For each multilingual embedder, the cosines of sentence pairs in different
languages that tell the same happening (the same line of two files) and of
pairs that tell different happenings of the same story (different lines): how
far apart the two are, the threshold that separates them best (F1), and what
the thresholds the facts stage uses give. Per language, the mean cosine of its
paraphrases with the other languages', which shows where an embedder does not
cover a language.
"""

from __future__ import annotations

import argparse
from itertools import combinations
from pathlib import Path

import numpy as np

from bench._common import emit


def _f1(positives: np.ndarray, negatives: np.ndarray, threshold: float) -> tuple[float, float, float]:
    tp = float((positives >= threshold).sum())
    fp = float((negatives >= threshold).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / len(positives)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, 3), round(recall, 3), round(f1, 3)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench align")
    parser.add_argument("--data", default="tests/data/parallel", help="folder of <lang>.txt files, line n parallel")
    parser.add_argument("--model", action="append", help="embedder: use, e5 (repeatable; default both)")
    args = parser.parse_args(argv)

    from storyline.facts.align import CROSS_LANGUAGE_SIMILARITY
    from storyline.facts.fuse import PARAPHRASE_SIMILARITY
    from storyline.stories.embed import embed_texts

    files = sorted(Path(args.data).glob("*.txt"))
    lines = {f.stem: [x for x in f.read_text("utf-8").splitlines() if x.strip()] for f in files}
    languages = sorted(lines)
    rows = [(lang, n, text) for lang in languages for n, text in enumerate(lines[lang])]
    results = {}
    for model in args.model or ["use", "e5"]:
        vectors = embed_texts([text for _, _, text in rows], model=model)
        positives, negatives = [], []
        by_language: dict[str, list[float]] = {lang: [] for lang in languages}
        for i, j in combinations(range(len(rows)), 2):
            (la, na, _), (lb, nb, _) = rows[i], rows[j]
            if la == lb:
                continue
            cosine = float(vectors[i] @ vectors[j])
            if na == nb:
                positives.append(cosine)
                by_language[la].append(cosine)
                by_language[lb].append(cosine)
            else:
                negatives.append(cosine)
        pos, neg = np.array(positives), np.array(negatives)
        grid = np.round(np.arange(0.2, 0.96, 0.01), 2)
        best = max(grid, key=lambda t: _f1(pos, neg, float(t))[2])
        results[model] = {
            "paraphrase_mean": round(float(pos.mean()), 3),
            "paraphrase_p10": round(float(np.percentile(pos, 10)), 3),
            "different_mean": round(float(neg.mean()), 3),
            "different_p90": round(float(np.percentile(neg, 90)), 3),
            "best_threshold": float(best),
            "best_precision_recall_f1": _f1(pos, neg, float(best)),
            "at_cross_language": _f1(pos, neg, CROSS_LANGUAGE_SIMILARITY),
            "at_paraphrase": _f1(pos, neg, PARAPHRASE_SIMILARITY),
            "paraphrase_mean_by_language": {k: round(float(np.mean(v)), 3) for k, v in by_language.items()},
        }
        r = results[model]
        print(f"{model}: paraphrases {r['paraphrase_mean']} (p10 {r['paraphrase_p10']}), different happenings "
              f"{r['different_mean']} (p90 {r['different_p90']}); best threshold {best} P/R/F1 "
              f"{r['best_precision_recall_f1']}; at {CROSS_LANGUAGE_SIMILARITY}: {r['at_cross_language']}")
    emit({"benchmark": "align", "data": args.data, "languages": languages, "pairs_per_model": len(positives) + len(negatives),
          "models": results})
    return 0
