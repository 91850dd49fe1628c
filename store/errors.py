"""Errors of the storage layer, each with a message that says what to change."""

from __future__ import annotations


class DatabaseSetupError(Exception):
    """The database cannot be started, reached or migrated; ``user_message`` says why."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message
