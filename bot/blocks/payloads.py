"""Typed, versioned values packed into buttons and modals' ``private_metadata``.

Slack echoes these strings back untouched, but a click on an old message can arrive after a
deploy, so each carries a version and unpacking anything else raises a friendly UsageError.
"""

from __future__ import annotations

from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.errors import UsageError

Packed = TypeVar("Packed", bound="ButtonValue")


class ButtonValue(BaseModel):
    """Base of every packed value: compact JSON, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def pack(self) -> str:
        """The string to put in a button ``value`` or ``private_metadata``."""
        return self.model_dump_json(exclude_defaults=False)

    @classmethod
    def unpack(cls: type[Packed], raw: str | None) -> Packed:
        """Parse a value Slack sent back, or raise UsageError."""
        try:
            return cls.model_validate_json(raw or "")
        except ValidationError:
            raise UsageError(
                "That button is out of date. Please use the buttons on the latest message."
            ) from None


class ResponseRef(ButtonValue):
    """Points at one AI response (feedback and escalate buttons)."""

    v: Literal[1] = 1
    response_id: int


class EscalationRef(ButtonValue):
    """Points at one escalation (claim, resolve, reassign, dismiss, rating)."""

    v: Literal[1] = 1
    escalation_id: int


class ResolveForm(ButtonValue):
    """The Resolve modal's ``private_metadata``: the ticket, and whether the modal offered
    "Save as course FAQ" (only a ticket of a course can become an FAQ entry)."""

    v: Literal[1] = 1
    escalation_id: int
    faq: bool = False

    @classmethod
    def of_submission(cls, raw: str | None) -> ResolveForm:
        """Unpack a submission; a modal opened before FAQs existed carried an EscalationRef."""
        try:
            return cls.model_validate_json(raw or "")
        except ValidationError:
            return cls(escalation_id=EscalationRef.unpack(raw).escalation_id)


class DraftForm(ButtonValue):
    """The Draft reply modal's ``private_metadata``: the stored draft it shows."""

    v: Literal[1] = 1
    draft_id: int


class PageRef(ButtonValue):
    """A page of a long ``/coach`` list: the command to run again and the page to show."""

    v: Literal[1] = 1
    command: str
    page: int


class EnrolForm(ButtonValue):
    """The bulk-enrol modal's course (its ``private_metadata``)."""

    v: Literal[1] = 1
    course_slug: str
