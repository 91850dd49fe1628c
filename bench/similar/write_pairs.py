"""Writes bench/similar/question_pairs.json from the hand labels below (run once; kept for review).

Each pair is two learner questions of the example course. ``same``: the same question in other
words (a resolved ticket for one answers the other); ``different``: another question on the same
course, often on a neighbouring topic (the hard case for a similarity floor). Items named by id
are the uncovered questions of bench/quality/eval_set.json; a text is a paraphrase written here.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVAL = json.loads((HERE.parent / "quality" / "eval_set.json").read_text())
TEXT = {item["id"]: item["text"] for item in EVAL["items"] if item["label"] == "uncovered"}

# Paraphrases found in the eval set itself (the same question asked by two learners).
SAME_IN_SET = [
    ("uncovered-007", "uncovered-071"),
    ("uncovered-015", "uncovered-077"),
    ("uncovered-031", "uncovered-079"),
    ("uncovered-033", "uncovered-081"),
    ("uncovered-037", "uncovered-083"),
    ("uncovered-041", "uncovered-089"),
    ("uncovered-017", "uncovered-073"),
    ("uncovered-063", "uncovered-002"),
    ("uncovered-065", "uncovered-008"),
    ("uncovered-067", "uncovered-014"),
    ("uncovered-069", "uncovered-016"),
    ("uncovered-027", "uncovered-074"),
    ("uncovered-047", "uncovered-086"),
    ("uncovered-021", "uncovered-076"),
    ("uncovered-006", "uncovered-066"),
    ("uncovered-028", "uncovered-068"),
    ("uncovered-038", "uncovered-070"),
    ("uncovered-024", "uncovered-062"),
    ("uncovered-020", "uncovered-084"),
    ("uncovered-034", "uncovered-082"),
    ("uncovered-052", "uncovered-088"),
]
# Paraphrases written for this benchmark.
SAME_WRITTEN = [
    (
        "uncovered-001",
        "one task in my asyncio.gather never finishes, can i give gather a time limit",
    ),
    ("uncovered-005", "threading: how do i get two of my functions running in parallel"),
    (
        "uncovered-009",
        "unit testing a function that calls input(), how do i fake what the user types",
    ),
    ("uncovered-011", "django: where do i add a url pattern for a new page"),
    ("uncovered-019", "TypeVar generics: make my function return the same type it was given"),
    ("uncovered-023", "count how often each word appears, collections.Counter and most_common?"),
    ("uncovered-025", "put the items of my list in random order, random.shuffle?"),
    ("uncovered-029", "two Account objects with the same owner should be ==, do i write __eq__"),
    ("uncovered-035", "shifting an int's bits left with <<, how do the bitwise operators work"),
    ("uncovered-039", "tkinter: a small window with one button, how do i make it"),
    ("uncovered-045", "run mypy over my whole project to check the type hints"),
    ("uncovered-049", "load my config from a .yaml file in python"),
    ("uncovered-053", "give each contact its own unique id, should i use uuid.uuid4()"),
    ("uncovered-057", "fetch json from a web api and turn it into a dict"),
    ("uncovered-059", "extract a .zip file with python's zipfile"),
    ("uncovered-010", "pandas: read an excel file into a dataframe"),
    ("uncovered-012", "for a small internal web app should i pick flask or django"),
    ("uncovered-018", "save my contacts in sqlite3 rather than a json file, how"),
    ("uncovered-030", "make len() work on my own class, is that __len__"),
    ("uncovered-036", "in a generator, what does yield from actually do"),
    ("uncovered-042", "heapq as a priority queue: how do heappush and heappop work"),
    ("uncovered-044", "put my package on pypi so others can pip install it"),
    ("uncovered-046", "read the HOME environment variable from python"),
    ("uncovered-050", "go through an xml file and list every tag"),
    ("uncovered-054", "cProfile: find which part of my script is slow"),
    ("uncovered-056", "set up jupyter notebook to do the course labs in it"),
    ("uncovered-058", "how big is a file and when was it last changed, os.stat?"),
    ("uncovered-060", "lambdas created in a for loop all return the last value, why"),
]
# Different questions on the same course, mostly neighbouring topics.
DIFFERENT = [
    ("uncovered-004", "uncovered-061"),
    ("uncovered-026", "uncovered-072"),
    ("uncovered-003", "uncovered-064"),
    ("uncovered-005", "uncovered-038"),
    ("uncovered-005", "uncovered-037"),
    ("uncovered-009", "uncovered-065"),
    ("uncovered-029", "uncovered-080"),
    ("uncovered-030", "uncovered-080"),
    ("uncovered-011", "uncovered-012"),
    ("uncovered-002", "uncovered-055"),
    ("uncovered-021", "uncovered-054"),
    ("uncovered-040", "uncovered-054"),
    ("uncovered-046", "uncovered-049"),
    ("uncovered-051", "uncovered-059"),
    ("uncovered-052", "uncovered-053"),
    ("uncovered-025", "uncovered-085"),
    ("uncovered-036", "uncovered-060"),
    ("uncovered-042", "uncovered-020"),
    ("uncovered-048", "uncovered-070"),
    ("uncovered-018", "uncovered-026"),
    ("uncovered-057", "uncovered-050"),
    ("uncovered-044", "uncovered-090"),
    ("uncovered-055", "uncovered-044"),
    ("uncovered-045", "uncovered-019"),
    ("uncovered-033", "uncovered-029"),
    ("uncovered-047", "uncovered-040"),
    ("uncovered-039", "uncovered-075"),
    ("uncovered-016", "uncovered-041"),
    ("uncovered-010", "uncovered-075"),
    ("uncovered-023", "uncovered-022"),
    ("uncovered-015", "uncovered-031"),
    ("uncovered-006", "uncovered-007"),
    ("uncovered-034", "uncovered-036"),
    ("uncovered-062", "uncovered-043"),
    ("uncovered-027", "uncovered-046"),
    ("uncovered-032", "uncovered-029"),
    ("uncovered-017", "uncovered-051"),
    ("uncovered-058", "uncovered-017"),
    ("uncovered-056", "uncovered-063"),
    ("uncovered-001", "uncovered-037"),
    ("uncovered-064", "uncovered-055"),
    ("uncovered-013", "uncovered-069"),
    ("uncovered-008", "uncovered-045"),
    ("uncovered-024", "uncovered-040"),
    ("uncovered-071", "uncovered-029"),
    ("uncovered-087", "uncovered-026"),
    ("uncovered-035", "uncovered-043"),
    ("uncovered-053", "uncovered-088"),
]


def main() -> None:
    """Write the pairs, alternating tune and heldout within each label."""
    pairs = []
    same = [(a, TEXT[b], b) for a, b in SAME_IN_SET] + [(a, t, None) for a, t in SAME_WRITTEN]
    for i, (a, text_b, b) in enumerate(same):
        pairs.append({"a": TEXT[a], "b": text_b, "a_id": a, "b_id": b, "same": True})
        pairs[-1]["split"] = "tune" if i % 2 == 0 else "heldout"
    for i, (a, b) in enumerate(DIFFERENT):
        pairs.append({"a": TEXT[a], "b": TEXT[b], "a_id": a, "b_id": b, "same": False})
        pairs[-1]["split"] = "tune" if i % 2 == 0 else "heldout"
    out = {"version": 1, "course": EVAL["course"], "about": __doc__.strip(), "pairs": pairs}
    (HERE / "question_pairs.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
