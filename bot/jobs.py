"""The bot's background work: every kind of durable task and every periodic job.

Each feature defines its own task handlers and jobs; this is the one place that lists them all,
above every feature, so ``bot.tasks`` (the machinery) depends on none of them.
"""

from __future__ import annotations

from datetime import timedelta

from bot.admin import deferred as admin_deferred
from bot.admin import uploads as admin_uploads
from bot.copilot import draft_task
from bot.escalation import card_fallback, insights, sla
from bot.escalation import relay as escalation_relay
from bot.faq import publish as faq_publish
from bot.gaps import summaries as gap_summaries
from bot.home import refresh as home_refresh
from bot.learner import flow as learner_flow
from bot.learner import stream_finish, stream_orphans
from bot.notify import email as notify_email
from bot.tasks import outbox
from bot.tasks.kinds import TaskRegistry
from bot.tasks.timers import TimerJob, sweep_tasks
from bot.workspaces import lifecycle as workspace_lifecycle


def build_registry() -> TaskRegistry:
    """A registry with all task kinds of the bot."""
    tasks = TaskRegistry()
    outbox.register(
        tasks,
        record_failure_hooks={("escalations", "card_ts"): card_fallback.card_post_failed},
    )
    escalation_relay.register(tasks)
    notify_email.register(tasks)
    learner_flow.register(tasks)
    stream_finish.register(tasks)
    admin_deferred.register(tasks)
    admin_uploads.register(tasks)
    home_refresh.register(tasks)
    faq_publish.register(tasks)
    insights.register(tasks)
    draft_task.register(tasks)
    return tasks


def default_jobs() -> list[TimerJob]:
    """The bot's periodic jobs."""
    return [
        TimerJob("sla.remind_trainer", timedelta(minutes=1), sla.remind_unclaimed),
        TimerJob("sla.alert_admins", timedelta(minutes=1), sla.alert_admins_unclaimed),
        TimerJob("escalations.auto_close", timedelta(minutes=10), sla.close_inactive),
        TimerJob("tasks.sweep", timedelta(minutes=5), sweep_tasks, across_workspaces=True),
        TimerJob(
            "streams.withdraw_abandoned", timedelta(minutes=5), stream_orphans.withdraw_abandoned
        ),
        TimerJob("gaps.refresh", gap_summaries.REFRESH_EVERY, gap_summaries.refresh_gap_summaries),
        TimerJob(
            "workspaces.purge_uninstalled",
            workspace_lifecycle.PURGE_EVERY,
            workspace_lifecycle.purge_expired_workspaces,
            across_workspaces=True,
        ),
    ]
