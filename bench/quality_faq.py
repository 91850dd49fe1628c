"""The course FAQ's effect on the quality benchmark: ``quality_bench.py --faq``.

After the labelled set has run once against the course as ingested, the FAQ entries of
``bench/quality/faq_entries.json`` are saved and published the way a resolved ticket's are
(``bot.faq.publish.publish_entry``: the question embedded, the entry written as a chunk), and the
same items run again. Each entry was written for one uncovered question of the tune split; its
``paraphrases`` are other uncovered items of the set that ask the same thing in other words.

Reported, per split: how many paraphrases (and the questions the entries were written for) are
answered from the FAQ (posted, citing it) before and after; every other item whose outcome
changed; every rate of the quality report before and after. And the match floor of
``bot.coach.faq_match``: the similarity of each item to its nearest entry's question, swept, for
the paraphrases against everything else; the floor is chosen on the tune split, the held-out
split is only reported.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from quality_report import ItemResult, summarise

from bot.coach.faq_match import FAQ_MATCH_FLOOR
from bot.content.faq_chunks import faq_embedding_text
from bot.deps import Deps
from bot.faq.publish import publish_entry
from bot.learner.decision import Outcome
from store.models import FaqEntry
from store.repositories.faq import FaqRepository

FAQ_SET = Path(__file__).resolve().parent / "quality" / "faq_entries.json"
BENCH_TRAINER = "UBENCHTRAINER"
FLOORS = [round(0.50 + 0.05 * i, 2) for i in range(10)]


def load_entries() -> list[dict[str, Any]]:
    """The FAQ entries of the benchmark."""
    return list(json.loads(FAQ_SET.read_text())["entries"])


async def publish_entries(deps: Deps, course_id: int, entries: list[dict[str, Any]]) -> None:
    """Save the entries for the course and publish each one as the task would."""
    ids = []
    async with deps.sessions.begin() as session:
        repo = FaqRepository(session)
        for entry in entries:
            row = await repo.add(
                FaqEntry(
                    course_id=course_id,
                    question=entry["question"],
                    answer=entry["answer"],
                    answered_by=BENCH_TRAINER,
                    answered_by_name="Jane",
                )
            )
            ids.append(row.id)
    for entry_id in ids:
        result = await publish_entry(deps, entry_id)
        assert result.get("published") == entry_id, result


def roles(entries: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """item id -> (role, FAQ id): "source" (written for) or "paraphrase"."""
    found: dict[str, tuple[str, str]] = {}
    for entry in entries:
        found[entry["written_for"]] = ("source", entry["id"])
        for ids in entry["paraphrases"].values():
            for item_id in ids:
                found[item_id] = ("paraphrase", entry["id"])
    return found


async def nearest_entries(
    deps: Deps, items: list[dict[str, Any]], entries: list[dict[str, Any]]
) -> dict[str, tuple[str, float]]:
    """item id -> (nearest entry, cosine similarity of the item to that entry's question)."""
    questions = await deps.embedder.embed([faq_embedding_text(e["question"]) for e in entries])
    texts = await deps.embedder.embed([item["text"] for item in items])
    sims = np.asarray(texts, dtype=np.float32) @ np.asarray(questions, dtype=np.float32).T
    return {
        item["id"]: (entries[int(row.argmax())]["id"], float(row.max()))
        for item, row in zip(items, sims, strict=True)
    }


def floor_sweep(
    items: list[dict[str, Any]],
    nearest: dict[str, tuple[str, float]],
    role: dict[str, tuple[str, str]],
    split: str,
) -> list[dict[str, Any]]:
    """For each floor: paraphrases whose own entry clears it, other items clearing it."""
    part = [i for i in items if i["split"] == split]
    paraphrases = [i for i in part if role.get(i["id"], ("", ""))[0] == "paraphrase"]
    others = [i for i in part if i["id"] not in role]
    rows = []
    for floor in FLOORS:
        own = sum(
            1
            for i in paraphrases
            if nearest[i["id"]][0] == role[i["id"]][1] and nearest[i["id"]][1] >= floor
        )
        wrong = [i["id"] for i in others if nearest[i["id"]][1] >= floor]
        rows.append(
            {
                "floor": floor,
                "paraphrases_matched": own,
                "paraphrases": len(paraphrases),
                "others_over": len(wrong),
                "others": len(others),
                "others_over_ids": wrong[:8],
            }
        )
    return rows


def from_faq(result: ItemResult) -> bool:
    """Posted, citing an FAQ entry."""
    return result.outcome == Outcome.POST and "faq" in result.cited


def _outcome(result: ItemResult) -> str:
    if result.outcome == Outcome.ESCALATE:
        return f"escalate:{'+'.join(result.triggers)}"
    cited = " (FAQ)" if from_faq(result) else ""
    return f"{result.outcome}{cited}"


def compare(
    before: list[ItemResult],
    after: list[ItemResult],
    role: dict[str, tuple[str, str]],
    threshold: float,
) -> dict[str, Any]:
    """Per split: the FAQ items before and after, the other items that changed, all rates."""
    old = {r.id: r for r in before}
    report: dict[str, Any] = {}
    for split in ("tune", "heldout"):
        now = [r for r in after if r.split == split]
        if not now:
            continue
        faq_items = [
            {
                "id": r.id,
                "role": role[r.id][0],
                "faq": role[r.id][1],
                "before": _outcome(old[r.id]),
                "after": _outcome(r),
                "confidence": r.confidence,
            }
            for r in now
            if r.id in role
        ]
        changed = [
            {"id": r.id, "label": r.label, "before": _outcome(old[r.id]), "after": _outcome(r)}
            for r in now
            if r.id not in role and _outcome(r) != _outcome(old[r.id])
        ]
        others_before = [old[r.id] for r in now if r.id not in role]
        others_after = [r for r in now if r.id not in role]
        rates = {
            "before": summarise(others_before, threshold=threshold, mode="")["splits"][split][
                "rates"
            ],
            "after": summarise(others_after, threshold=threshold, mode="")["splits"][split][
                "rates"
            ],
        }
        report[split] = {"faq_items": faq_items, "changed": changed, "rates": rates}
    return report


def write_faq_report(summary: dict[str, Any], results_dir: Path, name: str = "faq") -> None:
    """``faq.md`` and ``faq.json``."""
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / f"{name}.json").write_text(json.dumps(summary, indent=1) + "\n")
    lines = [
        "# Course FAQ entries in the quality benchmark",
        "",
        f"Mode: {summary['mode']}; escalation threshold {summary['threshold']:.2f}; FAQ match "
        f"floor {summary['floor']:.2f} (`bot.coach.faq_match`). Produced by "
        "`bench/quality_bench.py --faq`: the labelled set runs against the example course, then "
        f"the {summary['entries']} entries of `bench/quality/faq_entries.json` are published as "
        "a resolved ticket's are and the set runs again. Each entry was written for one "
        "uncovered question of the tune split; its paraphrases are other uncovered items of the "
        "set, written before the entries, that ask the same in other words.",
        "",
        "## Answered from the FAQ",
        "",
    ]
    for split, part in summary["splits"].items():
        items = part["faq_items"]
        for role in ("paraphrase", "source"):
            group = [i for i in items if i["role"] == role]
            if not group:
                continue
            was = sum(1 for i in group if i["before"].endswith("(FAQ)"))
            now = sum(1 for i in group if i["after"].endswith("(FAQ)"))
            what = "paraphrases of an entry" if role == "paraphrase" else "questions written for"
            lines.append(
                f"- {split}, {what}: **{now} of {len(group)}** answered from the FAQ "
                f"(before: {was})."
            )
    lines += [
        "",
        "| split | item | role | entry | before | after | confidence |",
        "|---|---|---|---|---|---|---|",
    ]
    for split, part in summary["splits"].items():
        for i in part["faq_items"]:
            conf = "" if i["confidence"] is None else f"{i['confidence']:.2f}"
            lines.append(
                f"| {split} | {i['id']} | {i['role']} | {i['faq']} | {i['before']} | "
                f"{i['after']} | {conf} |"
            )
    lines += ["", "## Every other item", ""]
    for split, part in summary["splits"].items():
        changed = part["changed"]
        lines.append(
            f"{split}: {len(changed)} of the other items changed outcome"
            + (":" if changed else ".")
        )
        lines += [f"- {c['id']} ({c['label']}): {c['before']} → {c['after']}" for c in changed]
        lines += ["", "| rate | before | after |", "|---|---|---|"]
        for rate, value in part["rates"]["before"].items():
            after = part["rates"]["after"][rate]
            lines.append(f"| {rate} | {_pct(value)} | {_pct(after)} |")
        lines.append("")
    lines += [
        "## The match floor",
        "",
        "Cosine similarity of each item to its nearest entry's question. A paraphrase counts "
        "when its own entry is the nearest and clears the floor; the other items are every item "
        "that is neither a paraphrase nor the question an entry was written for. The floor is "
        "chosen on the tune split; held-out is reported only.",
        "",
    ]
    for split, rows in summary["floor_sweep"].items():
        lines += [
            f"{split}:",
            "",
            "| floor | paraphrases matched | other items over it |",
            "|---|---|---|",
        ]
        for row in rows:
            over = f"{row['others_over']} of {row['others']}"
            if row["others_over_ids"]:
                over += f" ({', '.join(row['others_over_ids'])})"
            lines.append(
                f"| {row['floor']:.2f} | {row['paraphrases_matched']} of {row['paraphrases']} "
                f"| {over} |"
            )
        lines.append("")
    (results_dir / f"{name}.md").write_text("\n".join(lines))


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


__all__ = [
    "FAQ_MATCH_FLOOR",
    "compare",
    "floor_sweep",
    "load_entries",
    "nearest_entries",
    "publish_entries",
    "roles",
    "write_faq_report",
]
