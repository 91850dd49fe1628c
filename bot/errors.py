"""Domain errors, each carrying a message that is safe to show to a Slack user.

    CoachbotError                 base: ``user_message`` is friendly, never raw exception text
    ├── ConfigError               a setting is missing or invalid (start-up stops with one line)
    ├── ContentError              course content cannot be read or indexed
    ├── NotFound                  a course, learner, trainer or ticket does not exist
    │   └── WorkspaceNotInstalled the app is not (or no longer) installed in that workspace
    ├── PermissionDenied          the caller's role does not allow the action
    ├── InvalidTransition         an escalation state change that the state machine refuses
    │   └── AlreadyClaimed        another trainer claimed the escalation first
    └── UsageError                a command or form was filled in wrongly

Every handler lets these propagate; ``handlers.errors`` maps them to an ephemeral message in one
place, and anything else to a logged traceback plus a short error id.
"""

from __future__ import annotations


class CoachbotError(Exception):
    """Base class: ``user_message`` is what a Slack user may read."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class ConfigError(CoachbotError):
    """A setting is missing or invalid."""


class ContentError(CoachbotError):
    """Course content could not be read, parsed or indexed."""


class NotFound(CoachbotError):
    """A referenced course, person or escalation does not exist."""


class WorkspaceNotInstalled(NotFound):
    """No bot token is stored for the workspace: it never installed the app, or uninstalled it."""

    def __init__(self, team_id: str) -> None:
        super().__init__(
            "Coachbot is not installed in this Slack workspace any more. "
            "Ask an admin to add it again from the install link."
        )
        self.team_id = team_id


class PermissionDenied(CoachbotError):
    """The caller's role does not allow this action."""


class InvalidTransition(CoachbotError):
    """The escalation state machine refuses this change."""


class AlreadyClaimed(InvalidTransition):
    """Another trainer owns the escalation already."""

    def __init__(self, user_message: str, owner_id: str) -> None:
        super().__init__(user_message)
        self.owner_id = owner_id


class UsageError(CoachbotError):
    """A slash command, argument or form value was not understood."""
