"""Workspaces that installed the app: slack-sdk's SQLAlchemy stores on the project's engine.

The tables are created by migration 0016 (never by the stores' ``create_tables``). Every bot
process shares them, so an install, a token rotation or an uninstall in one process is seen by
all the others.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore

from store.database import Database

# How long an install link's state may wait for Slack's redirect (slack-sdk's default).
STATE_EXPIRATION_SECONDS = 600


def installation_store(db: Database, client_id: str) -> AsyncSQLAlchemyInstallationStore:
    """The installations and bot tokens of every workspace, for the app ``client_id``."""
    return AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=db.engine)


def oauth_state_store(db: Database) -> AsyncSQLAlchemyOAuthStateStore:
    """The one-time states of install links in flight (each consumed once by the redirect)."""
    return AsyncSQLAlchemyOAuthStateStore(
        expiration_seconds=STATE_EXPIRATION_SECONDS, engine=db.engine
    )
