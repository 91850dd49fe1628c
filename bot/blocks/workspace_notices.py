"""What the bot says about a workspace's own set-up: its admins and its trainer channel."""

from __future__ import annotations


def build_admin_line(user_id: str, *, from_setting: bool) -> str:
    """One admin in ``/coach admins``."""
    return f"<@{user_id}> · ADMIN_USER_IDS setting" if from_setting else f"<@{user_id}>"


def build_trainer_channel_welcome(by: str) -> str:
    """Posted in a channel chosen with ``/coach channel``: it shows the bot can post there."""
    return (
        f":wave: <@{by}> chose this channel for Coachbot's escalation cards: new tickets are "
        "posted here. Claim one with its button, and reply in the card's thread to talk to the "
        "learner (start a reply with `note:` to keep it among trainers)."
    )


def build_trainer_channel_line(channel_id: str | None) -> str:
    """Where the workspace's cards go, for ``/coach channel``."""
    if channel_id is None:
        return (
            "No trainer channel is set: escalation cards go to the admins by DM. Choose one "
            "with `/coach channel #channel` (invite me to it first)."
        )
    return f"Escalation cards go to <#{channel_id}>. Choose another with `/coach channel #channel`."
