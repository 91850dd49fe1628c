"""Every kind of durable task the worker can run, registered by the feature that owns it."""

from __future__ import annotations

from bot import outbox
from bot.worker import TaskRegistry


def build_registry() -> TaskRegistry:
    """A registry with all task kinds of the bot."""
    tasks = TaskRegistry()
    outbox.register(tasks)
    return tasks
