"""The benchmark's course FAQ entries (bench/quality/faq_entries.json) keep the split rule: each
is written for a tune question, and its paraphrases are uncovered items of the split they name."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENTRIES = json.loads((ROOT / "bench" / "quality" / "faq_entries.json").read_text())["entries"]
ITEMS = {
    item["id"]: item
    for item in json.loads((ROOT / "bench" / "quality" / "eval_set.json").read_text())["items"]
}


def test_each_entry_is_written_for_an_uncovered_tune_question() -> None:
    assert len({e["id"] for e in ENTRIES}) == len(ENTRIES)
    for entry in ENTRIES:
        source = ITEMS[entry["written_for"]]
        assert (source["label"], source["split"]) == ("uncovered", "tune"), entry["id"]
        assert entry["question"].strip()
        assert entry["answer"].strip()
        assert len(entry["question"]) <= 500
        assert len(entry["answer"]) <= 3000


def test_paraphrases_are_uncovered_items_of_the_split_they_are_listed_under() -> None:
    named = [entry["written_for"] for entry in ENTRIES]
    for entry in ENTRIES:
        for split, ids in entry["paraphrases"].items():
            for item_id in ids:
                assert (ITEMS[item_id]["label"], ITEMS[item_id]["split"]) == ("uncovered", split)
                named.append(item_id)
    assert len(named) == len(set(named))  # no item plays two parts
    assert sum(len(e["paraphrases"]["heldout"]) for e in ENTRIES) >= 5
