"""The states of an escalation: one transition table, consulted for every change of status.

    pending ──claim──▶ in_progress ──resolve──▶ resolved ──reopen──▶ reopened ──claim──▶ ...
       │                   │                                 ▲          │
       └──────dismiss──────┴──────────────────────────────── │ ─────────┘ (dismiss, resolve)

A reopened escalation keeps its trainer, so it can be resolved without a new claim. Reassigning
is allowed while the escalation is open; a pending one becomes in progress with its new owner.
"""

from __future__ import annotations

from enum import StrEnum

from bot.blocks.labels import ticket_label
from bot.errors import InvalidTransition


class Status(StrEnum):
    """Where an escalation is in its life."""

    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"
    REOPENED = "reopened"


class Action(StrEnum):
    """What someone (or the system) does to an escalation."""

    CLAIM = "claim"
    RESOLVE = "resolve"
    DISMISS = "dismiss"
    REOPEN = "reopen"
    REASSIGN = "reassign"
    ADD_TRIGGER = "add_trigger"


OPEN = frozenset({Status.PENDING, Status.IN_PROGRESS, Status.REOPENED})

# (from, action) -> to. Anything missing is refused.
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.PENDING, Action.CLAIM): Status.IN_PROGRESS,
    (Status.PENDING, Action.RESOLVE): Status.RESOLVED,
    (Status.PENDING, Action.DISMISS): Status.DISMISSED,
    # Giving a pending ticket an owner is the same as that trainer claiming it.
    (Status.PENDING, Action.REASSIGN): Status.IN_PROGRESS,
    (Status.PENDING, Action.ADD_TRIGGER): Status.PENDING,
    (Status.IN_PROGRESS, Action.RESOLVE): Status.RESOLVED,
    (Status.IN_PROGRESS, Action.DISMISS): Status.DISMISSED,
    (Status.IN_PROGRESS, Action.REASSIGN): Status.IN_PROGRESS,
    (Status.IN_PROGRESS, Action.ADD_TRIGGER): Status.IN_PROGRESS,
    (Status.RESOLVED, Action.REOPEN): Status.REOPENED,
    (Status.REOPENED, Action.CLAIM): Status.IN_PROGRESS,
    (Status.REOPENED, Action.RESOLVE): Status.RESOLVED,
    (Status.REOPENED, Action.DISMISS): Status.DISMISSED,
    (Status.REOPENED, Action.REASSIGN): Status.REOPENED,
    (Status.REOPENED, Action.ADD_TRIGGER): Status.REOPENED,
}

_DESCRIBED = {
    Status.PENDING: "is waiting for a trainer",
    Status.IN_PROGRESS: "is already being handled",
    Status.RESOLVED: "is already resolved",
    Status.DISMISSED: "was dismissed",
    Status.REOPENED: "has been reopened",
}
_VERB = {
    Action.CLAIM: "claimed",
    Action.RESOLVE: "resolved",
    Action.DISMISS: "dismissed",
    Action.REOPEN: "reopened",
    Action.REASSIGN: "reassigned",
    Action.ADD_TRIGGER: "added to",
}


def next_status(ticket: int, current: str, action: Action) -> Status:
    """The status after ``action``, or InvalidTransition with a message a person can act on."""
    status = Status(current)
    target = TRANSITIONS.get((status, action))
    if target is None:
        raise InvalidTransition(
            f"{ticket_label(ticket)} {_DESCRIBED[status]}; it can't be {_VERB[action]}."
        )
    return target


def sources_of(action: Action) -> list[str]:
    """Every status from which ``action`` is allowed (for atomic ``WHERE status IN``)."""
    return sorted(src.value for (src, act) in TRANSITIONS if act is action)
