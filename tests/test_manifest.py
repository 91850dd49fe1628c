"""The Slack app manifest: valid for Slack, and exactly the scopes the code needs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from bot.blocks.ids import SlashCommand
from bot.install.oauth import OAUTH_REDIRECT_PATH
from bot.settings import Settings
from bot.slack_scopes import BOT_SCOPES
from tests.fakes.slack_contract import METHODS_DIR, SLACK_REFERENCE

ROOT = Path(__file__).resolve().parents[1]

# Scopes a Web API method alone does not explain: events the bot subscribes to and fields it reads.
SCOPES_FOR_EVENTS_AND_FIELDS = {
    "im:history": "message.im events",
    "channels:history": "message.channels events (public trainer channel)",
    "groups:history": "message.groups events (private trainer channel)",
    "commands": "the /coach slash command",
    "users:read.email": "trainers' email address in users.info, for email notifications",
    "chat:write.customize": "username/icon_url overrides for trainer relays and personas",
}

_METHOD_STRING = re.compile(
    r"""["']((?:chat|conversations|users|reactions|views|files|auth|assistant|agents)\.[A-Za-z.]+)["']"""
)
_METHOD_CALL = re.compile(
    r"\.(chat|conversations|users|reactions|views|files|auth|assistant|agents)_([A-Za-z0-9_]+)\("
)


_EVENT_LISTENER = re.compile(r"""app\.event\(["']([a-z_]+)["']\)""")


def _manifest() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "app_manifest.yml").read_text())
    return data


def _methods_used() -> set[str]:
    methods: set[str] = set()
    for folder in ("bot", "handlers", "store"):
        for path in (ROOT / folder).rglob("*.py"):
            source = path.read_text()
            methods.update(_METHOD_STRING.findall(source))
            for family, name in _METHOD_CALL.findall(source):
                head, _, rest = name.partition("_")
                camel = head + "".join(part.title() for part in rest.split("_") if part)
                methods.add(f"{family}.{camel}")
    if "files.uploadV2" in methods:  # slack_sdk's files_upload_v2 makes these two calls
        methods |= {"files.getUploadURLExternal", "files.completeUploadExternal"}
    methods.discard("files.uploadV2")
    known = {p.stem for p in METHODS_DIR.glob("*.json")}
    return methods & known


def test_manifest_validates_against_slacks_schema() -> None:
    schema = json.loads(
        (SLACK_REFERENCE / "manifest-schema" / "manifest.schema.1.0.0.json").read_text()
    )
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(_manifest()))
    assert errors == []


def test_slash_commands_match_the_code() -> None:
    declared = {cmd["command"] for cmd in _manifest()["features"]["slash_commands"]}
    assert declared == {str(cmd) for cmd in SlashCommand}


def test_interactivity_and_events_point_at_the_one_endpoint() -> None:
    settings = _manifest()["settings"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["interactivity"]["request_url"].endswith("/slack/events")
    assert settings["event_subscriptions"]["request_url"].endswith("/slack/events")
    assert {"message.im", "app_home_opened"} <= set(settings["event_subscriptions"]["bot_events"])


def test_every_method_the_code_calls_is_covered_by_a_scope() -> None:
    scopes = set(_manifest()["oauth_config"]["scopes"]["bot"])
    used = _methods_used()
    assert "chat.postMessage" in used  # the scan itself works
    missing = {}
    for method in used:
        ref = json.loads((METHODS_DIR / f"{method}.json").read_text())
        needed = set(ref.get("scope", {}).get("bot", []))
        if needed and not needed & scopes:
            missing[method] = sorted(needed)
    assert missing == {}


def test_no_scope_is_requested_without_a_use() -> None:
    scopes = set(_manifest()["oauth_config"]["scopes"]["bot"])
    explained = set(SCOPES_FOR_EVENTS_AND_FIELDS)
    for method in _methods_used():
        ref = json.loads((METHODS_DIR / f"{method}.json").read_text())
        explained |= set(ref.get("scope", {}).get("bot", []))
    assert scopes - explained == set()


def test_agent_surface_is_declared_next_to_the_messages_and_home_tabs() -> None:
    manifest = _manifest()
    features = manifest["features"]
    agent = features["agent_view"]
    assert agent["agent_description"]
    assert 1 <= len(agent["suggested_prompts"]) <= 4
    assert features["app_home"]["home_tab_enabled"] is True
    assert features["app_home"]["messages_tab_enabled"] is True
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {"assistant_thread_started", "assistant_thread_context_changed"} <= events
    assert "assistant:write" in manifest["oauth_config"]["scopes"]["bot"]


def test_every_event_the_handlers_listen_to_is_subscribed_and_in_slacks_reference() -> None:
    listened: set[str] = set()
    for path in (ROOT / "handlers").rglob("*.py"):
        listened.update(_EVENT_LISTENER.findall(path.read_text()))
    assert {"message", "agent_session_stopped"} <= listened  # the scan itself works
    subscribed = set(_manifest()["settings"]["event_subscriptions"]["bot_events"])
    reference = {
        event["name"]
        for event in json.loads((SLACK_REFERENCE / "web-api" / "events.json").read_text())
    }
    # ``message`` arrives as message.im (learners) and message.channels/groups (trainers).
    assert {"message.im", "message.channels", "message.groups"} <= subscribed
    assert listened - {"message"} <= subscribed
    assert subscribed <= reference


def test_agent_session_methods_are_seen_by_the_scope_check() -> None:
    used = _methods_used()
    assert {"agents.sessions.setStatus", "agents.sessions.rename"} <= used


def test_an_install_asks_for_exactly_the_manifests_bot_scopes() -> None:
    assert list(BOT_SCOPES) == _manifest()["oauth_config"]["scopes"]["bot"]
    assert Settings(_env_file=None).slack_scopes == list(BOT_SCOPES)  # type: ignore[call-arg]


def test_installs_in_many_workspaces_are_declared() -> None:
    manifest = _manifest()
    [redirect] = manifest["oauth_config"]["redirect_urls"]
    assert redirect.startswith("https://")
    assert redirect.endswith(OAUTH_REDIRECT_PATH)
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    # An uninstall or a revoked token removes that workspace's tokens at once.
    assert {"app_uninstalled", "tokens_revoked"} <= events
