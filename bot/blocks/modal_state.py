"""Reading what a user entered in a modal, from a ``view_submission``'s ``view.state.values``.

Slack nests each input as ``values[block_id][action_id]``; a field left empty, an element Slack
did not send, or a state of an older modal layout all read as "nothing entered", never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ModalState:
    """The submitted values of one modal."""

    values: dict[str, Any]

    @classmethod
    def of(cls, view: dict[str, Any]) -> ModalState:
        """The state of a submitted ``view`` (empty when Slack sent none)."""
        state = view.get("state") or {}
        return cls(dict(state.get("values") or {}))

    def _element(self, block: str, action: str | None) -> dict[str, Any]:
        inputs = self.values.get(block)
        found = inputs.get(action or block) if isinstance(inputs, dict) else None
        return found if isinstance(found, dict) else {}

    def text(self, block: str, action: str | None = None) -> str | None:
        """A plain-text input's value, stripped; None when empty."""
        value = str(self._element(block, action).get("value") or "").strip()
        return value or None

    def user(self, block: str, action: str | None = None) -> str | None:
        """A users_select's chosen user."""
        return self._element(block, action).get("selected_user") or None

    def users(self, block: str, action: str | None = None) -> list[str]:
        """A multi_users_select's chosen users, in order."""
        return [str(u) for u in self._element(block, action).get("selected_users") or []]

    def checked(self, block: str, action: str | None = None) -> list[str]:
        """A checkboxes element's ticked option values, in order."""
        options = self._element(block, action).get("selected_options") or []
        return [str(o.get("value")) for o in options if isinstance(o, dict) and o.get("value")]

    def option(self, block: str, action: str | None = None) -> str | None:
        """A static_select's chosen option value."""
        option = self._element(block, action).get("selected_option") or {}
        return option.get("value") or None
