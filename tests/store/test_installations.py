"""slack-sdk's SQLAlchemy installation and state stores on the project's engine (psycopg 3,
asyncio, SQLAlchemy 2.1) and the tables migration 0017 creates for them."""

from __future__ import annotations

import time
import uuid

import sqlalchemy as sa
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from store.database import Database
from store.installations import installation_store, oauth_state_store


def _slack_sdk_tables() -> list[sa.Table]:
    metadata = sa.MetaData()
    return [
        SQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations"),
        SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots"),
        SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states"),
    ]


async def test_the_migrated_tables_are_slack_sdks_own(database: Database) -> None:
    async with database.engine.connect() as conn:
        for table in _slack_sdk_tables():
            columns = await conn.run_sync(
                lambda sync, name=table.name: sa.inspect(sync).get_columns(name)
            )
            indexes = await conn.run_sync(
                lambda sync, name=table.name: sa.inspect(sync).get_indexes(name)
            )
            migrated = {
                c["name"]: (str(c["type"].compile(dialect=conn.dialect)), c["nullable"])
                for c in columns
            }
            declared = {
                c.name: (str(c.type.compile(dialect=conn.dialect)), c.nullable or False)
                for c in table.columns
            }
            # The primary key is NOT NULL in the database whatever the Column says.
            declared["id"] = (declared["id"][0], False)
            assert migrated == declared, table.name
            expected = {i.name: [c.name for c in i.columns] for i in table.indexes}
            assert {i["name"]: i["column_names"] for i in indexes} == expected


def _installation(team_id: str, token: str, *, expires_in: int | None = None) -> Installation:
    return Installation(
        app_id="A0APP0001",
        team_id=team_id,
        team_name="Acme",
        bot_token=token,
        bot_id="B0BOT",
        bot_user_id="U0BOT",
        bot_scopes="chat:write,im:history",
        bot_refresh_token="xoxe-1-refresh" if expires_in else None,
        bot_token_expires_in=expires_in,
        user_id="U0INSTALLER",
        token_type="bot",
    )


async def test_an_installation_round_trips_through_the_async_store(database: Database) -> None:
    client_id = f"client-{uuid.uuid4().hex[:8]}"
    store = installation_store(database, client_id)
    await store.async_save(_installation("T1", "xoxe.xoxb-1", expires_in=3600))
    await store.async_save(_installation("T2", "xoxb-2"))

    bot = await store.async_find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None
    assert bot.bot_token == "xoxe.xoxb-1"
    assert bot.bot_refresh_token == "xoxe-1-refresh"
    # Expiry is stored naive and read back as UTC: the same instant, whatever the server's zone.
    assert bot.bot_token_expires_at is not None
    assert abs(bot.bot_token_expires_at - (time.time() + 3600)) < 60
    installation = await store.async_find_installation(enterprise_id=None, team_id="T2")
    assert installation is not None
    assert installation.bot_token == "xoxb-2"
    assert installation.bot_scopes == ["chat:write", "im:history"]

    # A rotated bot replaces the stored one (same installed_at), it is not added beside it.
    bot.bot_token = "xoxe.xoxb-1b"
    await store.async_save_bot(bot)
    again = await store.async_find_bot(enterprise_id=None, team_id="T1")
    assert again is not None
    assert again.bot_token == "xoxe.xoxb-1b"
    async with database.engine.connect() as conn:
        rows = await conn.execute(
            sa.text("SELECT count(*) FROM slack_bots WHERE client_id = :c AND team_id = 'T1'"),
            {"c": client_id},
        )
        assert rows.scalar_one() == 1

    await store.async_delete_bot(enterprise_id=None, team_id="T1")
    await store.async_delete_installation(enterprise_id=None, team_id="T1")
    assert await store.async_find_bot(enterprise_id=None, team_id="T1") is None
    assert await store.async_find_installation(enterprise_id=None, team_id="T1") is None
    # The other workspace, and the same team of another app, are untouched.
    assert await store.async_find_bot(enterprise_id=None, team_id="T2") is not None
    other_app = installation_store(database, f"{client_id}-other")
    assert await other_app.async_find_bot(enterprise_id=None, team_id="T2") is None
    await store.async_delete_bot(enterprise_id=None, team_id="T2")
    await store.async_delete_installation(enterprise_id=None, team_id="T2")


async def test_a_state_is_consumed_once(database: Database) -> None:
    states = oauth_state_store(database)
    state = await states.async_issue()
    assert await states.async_consume(state) is True
    assert await states.async_consume(state) is False
    assert await states.async_consume(str(uuid.uuid4())) is False


async def test_an_expired_state_is_refused(database: Database) -> None:
    states = oauth_state_store(database)
    states.expiration_seconds = -1
    assert await states.async_consume(await states.async_issue()) is False
