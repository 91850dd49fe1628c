"""Content-gap clustering benchmark: does ``bot.gaps.clustering`` group questions by meaning?

Embeds the labelled groups of ``bench/gaps/questions.json`` with the bundled local model,
clusters each split with ``cluster(vectors, floor=...)`` (questions in a fixed shuffled order,
as they would arrive), and scores the clusters against the labels: pairwise precision (two
questions put together really belong together), pairwise recall (two that belong together were
put together), their F1, and the adjusted Rand index. The floor is chosen on the tune split
(odd-numbered groups) and reported on the held-out split (even-numbered groups).

    .venv/bin/python bench/gaps_bench.py     # -> bench/results/gaps.md and gaps.json
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
from collections import Counter
from datetime import UTC, datetime
from math import comb
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.content.embeddings import LocalEmbedder  # noqa: E402
from bot.gaps.clustering import DEFAULT_FLOOR, cluster  # noqa: E402

DATA = ROOT / "bench" / "gaps" / "questions.json"
RESULTS = ROOT / "bench" / "results"
FLOORS = [round(0.30 + 0.025 * i, 3) for i in range(23)]  # 0.30 .. 0.85
SEED = 7


def scores(labels: list[int], groups: list[list[int]]) -> dict[str, float]:
    """Pairwise precision, recall, F1 and the adjusted Rand index of a clustering."""
    predicted = {i: c for c, group in enumerate(groups) for i in group}
    n = len(labels)
    together = same = both = 0
    for i in range(n):
        for j in range(i + 1, n):
            p = predicted[i] == predicted[j]
            t = labels[i] == labels[j]
            together += p
            same += t
            both += p and t
    precision = both / together if together else 1.0
    recall = both / same if same else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    pairs = comb(n, 2)
    expected = together * same / pairs if pairs else 0.0
    top = (together + same) / 2 - expected
    ari = (both - expected) / top if top else 1.0
    return {
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "ari": round(ari, 3),
        "clusters": len(groups),
        "groups": len(set(labels)),
        "largest_cluster": max(len(g) for g in groups),
    }


def split(data: dict[str, Any], part: int) -> list[tuple[int, str]]:
    """(group number, question) of one split in a fixed shuffled order; part 0 tunes."""
    items = [
        (number, q)
        for number, group in enumerate(data["groups"], 1)
        if (number % 2 == 1) == (part == 0)
        for q in group["questions"]
    ]
    random.Random(SEED).shuffle(items)
    return items


async def main() -> None:
    data = json.loads(DATA.read_text())
    embedder = LocalEmbedder()
    splits = {name: split(data, part) for part, name in enumerate(("tune", "held_out"))}
    vectors = {name: await embedder.embed([q for _, q in items]) for name, items in splits.items()}
    labels = {name: [g for g, _ in items] for name, items in splits.items()}
    sweep = {
        name: {floor: scores(labels[name], cluster(vectors[name], floor=floor)) for floor in FLOORS}
        for name in splits
    }
    best = max(FLOORS, key=lambda f: (sweep["tune"][f]["f1"], -f))
    held = sweep["held_out"][best]
    chosen = {"tune": sweep["tune"][best], "held_out": held}
    example = cluster(vectors["held_out"], floor=best)
    mixed = [
        sorted(Counter(labels["held_out"][i] for i in group).items())
        for group in example
        if len({labels["held_out"][i] for i in group}) > 1
    ]
    result = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "model": embedder.model,
        "questions": {name: len(items) for name, items in splits.items()},
        "best_floor_on_tune": best,
        "default_floor": DEFAULT_FLOOR,
        "chosen": chosen,
        "sweep": {name: {str(f): s for f, s in rows.items()} for name, rows in sweep.items()},
        "held_out_mixed_clusters": mixed,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "gaps.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "# Content-gap clustering",
        "",
        f"Run {result['at']} with `{embedder.model}`; `bench/gaps_bench.py` on",
        f"`bench/gaps/questions.json`: {len(data['groups'])} labelled groups of five paraphrases",
        f"(neighbouring groups on close topics), {result['questions']['tune']} tune questions",
        f"(odd-numbered groups) and {result['questions']['held_out']} held-out questions",
        "(even-numbered groups), each split clustered on its own in a fixed shuffled order.",
        "",
        f"Floor chosen on the tune split (best pairwise F1): **{best}** "
        f"(the code's `DEFAULT_FLOOR`: {DEFAULT_FLOOR}).",
        "",
        "| split | precision | recall | F1 | ARI | clusters | true groups | largest |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, s in chosen.items():
        lines.append(
            f"| {name} | {s['precision']} | {s['recall']} | {s['f1']} | {s['ari']} | "
            f"{s['clusters']} | {s['groups']} | {s['largest_cluster']} |"
        )
    lines += [
        "",
        "Precision: of the pairs put in one cluster, the share that belong together. Recall: of",
        "the pairs that belong together, the share put in one cluster. ARI: adjusted Rand index",
        "(1 = the labelled grouping, 0 = chance).",
        "",
        f"Held-out clusters mixing groups at {best}: "
        + (", ".join(str(m) for m in mixed) or "none")
        + " (group number, questions).",
        "",
        "## Sweep (held-out figures are for reading only; the floor comes from tune)",
        "",
        "| floor | tune F1 | tune clusters | held-out F1 | held-out clusters |",
        "|---|---|---|---|---|",
    ]
    for f in FLOORS:
        t, h = sweep["tune"][f], sweep["held_out"][f]
        lines.append(f"| {f} | {t['f1']} | {t['clusters']} | {h['f1']} | {h['clusters']} |")
    (RESULTS / "gaps.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:16]))


if __name__ == "__main__":
    asyncio.run(main())
