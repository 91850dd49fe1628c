"""The one workspace the benchmarks work in.

Every ORM statement runs inside a workspace (``store.tenancy``). The benchmarks' own work (ingest
a course, call a service, store a relay in the outbox) runs in the fake Slack's workspace, the
team their signed requests name, so what they store and what the bot serves are one workspace's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from bot.workspaces import in_workspace
from tests.harness import TEAM_ID

# The fake Slack's team: its auth.test names it, and every signed request of the benches carries it.
BENCH_TEAM = TEAM_ID

T = TypeVar("T")


def run_in_bench_workspace(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(main)`` as work of the bench workspace (tasks it starts inherit it)."""
    with in_workspace(BENCH_TEAM):
        return asyncio.run(main)
