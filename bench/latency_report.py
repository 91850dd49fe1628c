"""Writes latency_bench.py's results: bench/results/latency.json and latency.md."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def _row(name: str, summary: dict[str, float]) -> str:
    if not summary.get("count"):
        return f"| {name} | 0 | – | – | – | – |"
    cells = " | ".join(str(summary[k]) for k in ("p50", "p95", "p99", "max"))
    return f"| {name} | {summary['count']} | {cells} |"


def _felt_section(
    name: str, run: dict[str, Any], targets: list[dict[str, Any]], results_rounds: int
) -> str:
    streamed = run["model_streamed"] and run["words_streamed"] > 0
    words = "first streamed words" if streamed else "first answer post (nothing streamed)"
    after = (
        "first streamed words after the model's first word of the answer"
        if streamed
        else "answer post after the model's whole reply"
    )
    lines = [
        _row("ack (HTTP 200)", run["ack_ms"]),
        _row("first sign of life", run["sign_of_life_ms"]),
        _row(words, run["first_words_ms"]),
        _row(after, run["words_after_first_token_ms"]),
    ]
    if streamed and run.get("model_judgement_ms", {}).get("count"):
        lines.append(
            _row("(the model's judgement fields, before its first word)", run["model_judgement_ms"])
        )
    rows = "\n".join(lines)
    by = ", ".join(f"{method} {n}" for method, n in sorted(run["sign_of_life_by"].items()))
    verdicts = "\n".join(f"| {t['name']} | {t['figure']} | **{t['verdict']}** |" for t in targets)
    streaming = (
        f"{run['words_streamed']} of {run['dms']} answers streamed."
        if streamed
        else "The model was not asked to stream, or the answers were posted whole: the first words "
        "are the answer post, and the streaming target is not measurable in this run."
    )
    notes = textwrap.fill(
        f"First sign of life by: {by}; DMs with none: {run['no_sign_of_life']}, with no answer: "
        f"{run['no_words']}. {streaming} Escalated instead of answered (a card in the trainer "
        f"channel, the learner told a trainer was asked): {run.get('trainer_cards', 0)}. Calls "
        f"the fake Slack refused: {run['slack_errors']}.",
        98,
    )
    return f"""## Learners, {name}

{run["dms"]} DMs ({results_rounds} questions per learner, each once the previous one was answered)
in {run["seconds"]} s, {run["llm_calls"]} chat completions, up to {run["llm_max_in_flight"]} in
flight. Milliseconds after each DM was sent:

| measure | DMs | p50 | p95 | p99 | max |
|---|---|---|---|---|---|
{rows}

{notes}

| target | figure | verdict |
|---|---|---|
{verdicts}
"""


def write(results: dict[str, Any]) -> None:
    """Write latency.json and latency.md under bench/results."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latency.json").write_text(json.dumps(results, indent=2) + "\n")
    acks = results["acks"]
    ack_rows = "\n".join(
        [
            _row("coachbot (worker running)", acks["coachbot"]),
            _row("Bolt AsyncApp, one INSERT per event, then ack", acks["durable_bolt"]),
            _row("bare Bolt AsyncApp (ack only)", acks["bare_bolt"]),
        ]
    )
    sections = "\n".join(
        _felt_section(name, run, results["targets"][name], results["rounds"])
        for name, run in results["felt"].items()
    )
    (RESULTS / "latency.md").write_text(
        f"""# Latency a learner feels

Run {results["run_at"]} on {results["cpus"]} CPUs, {results["learners"]} learners. The fake model
answers each chat completion in {results["llm_latency_s"]} s (when streamed, its first token after
{results["first_token_after_s"]} s). How it is measured: [bench/README.md](../README.md).

{sections}
## Ack latency beside two baselines

{results["learners"]} learners × {results["acks_per_learner"]} DMs each, back to back, to each app
in turn. Coachbot runs with the shipped settings and its worker running (the load's seen
reactions and flood notices go out meanwhile; its questions are due 4 s after each DM): the load
took {results["ack_load_seconds"]} s, and {results["llm_in_flight_after_ack_load"]} chat
completions were in flight at its end. Milliseconds per request:

| app | requests | p50 | p95 | p99 | max |
|---|---|---|---|---|---|
{ack_rows}

The durable baseline stores each event with one INSERT (autocommit, synchronous commit) into the
same PostgreSQL before acking: the least a durable ack can cost. Coachbot's ack target, p99
within 1.5x of it, is judged in each learners' table above.
"""
    )
