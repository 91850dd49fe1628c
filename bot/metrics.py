"""Prometheus metrics: per-process counters plus database-wide figures read at scrape time.

Process metrics (Slack API errors, task runs, LLM latency) count what this process did. Business
figures (answers, escalations, outbox depth and age) live in PostgreSQL, so every process reports
the same values for them, read fresh when ``/metrics`` is scraped.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from openai import AsyncOpenAI
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncSession

from store.repositories.ops import OpsRepository, OpsSnapshot

REGISTRY = CollectorRegistry(auto_describe=True)

SLACK_API_ERRORS = Counter(
    "coachbot_slack_api_errors",
    "Slack Web API calls that failed, by method and error (HTTP status when no error code).",
    ["method", "error"],
    registry=REGISTRY,
)
TASK_RUNS = Counter(
    "coachbot_task_runs",
    "Task attempts run by this process, by kind and outcome (done, retry, failed).",
    ["kind", "outcome"],
    registry=REGISTRY,
)
TASK_DURATION = Histogram(
    "coachbot_task_duration_seconds",
    "Time to run one task attempt, by kind.",
    ["kind"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
    registry=REGISTRY,
)
LLM_LATENCY = Histogram(
    "coachbot_llm_latency_seconds",
    "Time for the language model to answer one chat completion request.",
    buckets=(0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120),
    registry=REGISTRY,
)
OUTBOX_DELIVERED = Counter(
    "coachbot_outbox_delivered",
    "Slack calls delivered from the outbox, by how (sent, or found already sent after a crash).",
    ["how"],
    registry=REGISTRY,
)


@dataclass
class DatabaseFigures:
    """The database-wide figures of the last scrape."""

    snapshot: OpsSnapshot = field(default_factory=lambda: OpsSnapshot(0, {}, 0, None, 0, 0, 0))
    outbox_oldest_age: float = 0.0

    async def refresh(self, session: AsyncSession, now: datetime, *, outbox_kind: str) -> None:
        """Read the current figures (a few short read-only queries)."""
        self.snapshot = await OpsRepository(session).snapshot(now, outbox_kind=outbox_kind)
        oldest = self.snapshot.outbox_oldest
        self.outbox_oldest_age = max(0.0, (now - oldest).total_seconds()) if oldest else 0.0


class _DatabaseCollector(Collector):
    def __init__(self, figures: DatabaseFigures) -> None:
        self.figures = figures

    def collect(self) -> Iterable[Metric]:
        f = self.figures.snapshot
        yield CounterMetricFamily("coachbot_answers", "Answers the coach has given.", f.answers)
        escalations = CounterMetricFamily(
            "coachbot_escalations", "Escalations to trainers, by current status.", labels=["status"]
        )
        for status, count in sorted(f.escalations.items()):
            escalations.add_metric([status], count)
        yield escalations
        yield from _gauges(
            ("coachbot_outbox_depth", "Slack calls waiting to be delivered.", f.outbox_depth),
            (
                "coachbot_outbox_oldest_age_seconds",
                "Age of the oldest undelivered Slack call.",
                self.figures.outbox_oldest_age,
            ),
            ("coachbot_task_queue_depth", "Tasks pending or running.", f.queue_depth),
            (
                "coachbot_tasks_failed",
                "Tasks given up on (see `coachbot tasks --failed`).",
                f.failed_tasks,
            ),
            ("coachbot_tasks_stale", "Running tasks whose lease has expired.", f.stale_tasks),
        )


def _gauges(*specs: tuple[str, str, float]) -> Iterator[Metric]:
    for name, doc, value in specs:
        yield GaugeMetricFamily(name, doc, value=value)


FIGURES = DatabaseFigures()
REGISTRY.register(_DatabaseCollector(FIGURES))


async def render_metrics(session: AsyncSession, now: datetime, *, outbox_kind: str) -> bytes:
    """The exposition text for ``/metrics``, with database figures read now.

    ``outbox_kind`` is the task kind of the Slack outbox, whose depth and age are reported.
    """
    await FIGURES.refresh(session, now, outbox_kind=outbox_kind)
    return generate_latest(REGISTRY)


def record_slack_error(method: str, error: str) -> None:
    """Count one failed Slack Web API call."""
    SLACK_API_ERRORS.labels(method=method, error=error or "unknown").inc()


def instrument_llm(llm: AsyncOpenAI) -> None:
    """Time every chat completion the shared client makes (idempotent)."""
    # The OpenAI SDK has no timing hook of its own; its httpx client's event hooks see every call.
    hooks: dict[str, list[Any]] = llm._client.event_hooks
    if any(getattr(hook, "_coachbot", False) for hook in hooks["response"]):
        return

    async def started(request: Any) -> None:
        request.extensions["coachbot_started"] = time.monotonic()

    async def finished(response: Any) -> None:
        started_at = response.request.extensions.get("coachbot_started")
        if started_at is not None and response.request.url.path.endswith("/chat/completions"):
            LLM_LATENCY.observe(time.monotonic() - float(started_at))

    finished._coachbot = True  # type: ignore[attr-defined]
    hooks["request"].append(started)
    hooks["response"].append(finished)
    llm._client.event_hooks = hooks
