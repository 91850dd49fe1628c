"""Names shown to people for things the bot keeps by number."""

from __future__ import annotations


def ticket_label(ticket: int) -> str:
    """The human-friendly ticket name, e.g. ESC-1042."""
    return f"ESC-{ticket}"
