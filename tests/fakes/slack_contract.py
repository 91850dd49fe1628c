"""Slack's Web API contract: the vendored reference files plus slack_sdk's Block Kit models."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

# The one path to the Slack reference data vendored in the repository (see its README.md).
SLACK_REFERENCE = Path(__file__).resolve().parents[1] / "slack_reference"
METHODS_DIR = SLACK_REFERENCE / "web-api" / "methods"

# Bolt builds each listener's client with `team_id=...`, which slack_sdk adds to every call; Slack
# accepts it everywhere for org-wide apps although few method pages list it.
UNIVERSAL_ARGS = frozenset({"token", "team_id"})

# Arguments sent as JSON-encoded strings in form posts (slack_sdk does this for files.* methods).
JSON_ARGS = frozenset(
    {"blocks", "attachments", "view", "metadata", "files", "prompts", "chunks", "unfurls"}
    | {"unfurled_attachments", "user_auth_blocks", "outputs"}
)

MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.update"})
STREAM_METHODS = frozenset({"chat.startStream", "chat.appendStream", "chat.stopStream"})
MARKDOWN_TEXT_LIMIT = 12_000
CHUNK_TYPES = frozenset({"markdown_text", "plan_update", "task_update", "blocks"})
VIEW_METHODS = frozenset({"views.open", "views.publish", "views.update", "views.push"})
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_TEXT_CHARS = 40_000


class SlackRejection(Exception):
    """A call Slack would answer with `{"ok": false, "error": error}`."""

    def __init__(self, error: str, reason: str) -> None:
        super().__init__(f"{error}: {reason}")
        self.error = error
        self.reason = reason


@functools.cache
def method_reference(method: str) -> dict[str, Any] | None:
    """The reference entry of a Web API method, or None if Slack has no such method."""
    if not method or "/" in method or method.startswith("."):
        return None
    path = METHODS_DIR / f"{method}.json"
    if not path.is_file():
        return None
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def decode_json_args(args: dict[str, Any]) -> dict[str, Any]:
    """Decode the JSON-encoded string values of a form post; leave anything else as sent."""
    decoded = dict(args)
    for name in JSON_ARGS & decoded.keys():
        value = decoded[name]
        if isinstance(value, str) and value.lstrip()[:1] in ("[", "{"):
            try:
                decoded[name] = json.loads(value)
            except json.JSONDecodeError as error:
                code = "invalid_blocks_format" if name == "blocks" else "invalid_arguments"
                raise SlackRejection(code, f"`{name}` is not valid JSON: {error}") from None
    return decoded


def check_call(method: str, args: dict[str, Any], *, has_token: bool) -> None:
    """Raise SlackRejection unless the call fits the reference and Block Kit's limits."""
    reference = method_reference(method)
    if reference is None:
        raise SlackRejection("unknown_method", f"`{method}` is not a Slack Web API method")
    schema = reference.get("args", {})
    required: list[str] = schema.get("required", [])
    properties: dict[str, Any] = schema.get("properties", {})
    if "token" in required and not has_token:
        raise SlackRejection("not_authed", "no token in the Authorization header or form")
    missing = [name for name in required if name != "token" and name not in args]
    if missing:
        raise SlackRejection("invalid_arguments", f"missing required argument(s): {missing}")
    unknown = sorted(set(args) - properties.keys() - UNIVERSAL_ARGS)
    if unknown:
        raise SlackRejection(
            "invalid_arguments", f"argument(s) not accepted by {method}: {unknown}"
        )
    for name, value in args.items():
        allowed = properties.get(name, {}).get("enum")
        if allowed and value not in allowed:
            # Slack names some of these errors after the argument (`invalid_status`).
            error = f"invalid_{name}"
            code = error if error in reference.get("errors", {}) else "invalid_arguments"
            raise SlackRejection(code, f"`{name}` must be one of {allowed}, got {value!r}")
    if method in MESSAGE_METHODS:
        _check_message(method, args)
    elif method in STREAM_METHODS:
        _check_stream(method, args)
    elif method == "files.completeUploadExternal" and "blocks" in args:
        _raise_if(block_problem(args["blocks"], MAX_MESSAGE_BLOCKS), "invalid_blocks")
    if method in VIEW_METHODS:
        _raise_if(view_problem(args["view"]), "invalid_arguments")


def _check_message(method: str, args: dict[str, Any]) -> None:
    text = args.get("text")
    has_text = isinstance(text, str) and text.strip() != ""
    if isinstance(text, str) and len(text) > MAX_TEXT_CHARS:
        raise SlackRejection("msg_too_long", f"text is {len(text)} chars (max {MAX_TEXT_CHARS})")
    # Bolt's say() always sends text="" so only a non-empty text or blocks conflict.
    if args.get("markdown_text") and (has_text or args.get("blocks")):
        raise SlackRejection("markdown_text_conflict", "markdown_text excludes text and blocks")
    if "blocks" in args:
        _raise_if(block_problem(args["blocks"], MAX_MESSAGE_BLOCKS), "invalid_blocks")
        if args["blocks"] and not has_text:
            # Slack accepts this with a warning, but the notification and screen-reader
            # fallback is then empty; the project treats it as a bug.
            raise SlackRejection(
                "invalid_arguments",
                "`text` must be sent with `blocks` (notification and accessibility fallback)",
            )
    content = ("blocks", "attachments", "markdown_text", "file_ids")
    if method != "chat.update" and not has_text and not any(args.get(k) for k in content):
        raise SlackRejection("no_text", "send at least one of text, blocks, attachments")
    metadata = args.get("metadata")
    if metadata is not None and not (
        isinstance(metadata, dict) and {"event_type", "event_payload"} <= metadata.keys()
    ):
        raise SlackRejection(
            "invalid_metadata_format", "metadata needs `event_type` and `event_payload`"
        )


def _check_stream(method: str, args: dict[str, Any]) -> None:
    text = args.get("markdown_text")
    if text is not None and not isinstance(text, str):
        raise SlackRejection("invalid_arguments", "markdown_text must be a string")
    if isinstance(text, str) and len(text) > MARKDOWN_TEXT_LIMIT:
        raise SlackRejection(
            "invalid_arguments", f"markdown_text is {len(text)} chars (max {MARKDOWN_TEXT_LIMIT})"
        )
    chunks = args.get("chunks")
    if chunks is not None:
        _raise_if(_chunks_problem(chunks), "invalid_chunks")
    if method == "chat.appendStream" and not text and not chunks:
        raise SlackRejection("no_text", "appendStream needs markdown_text (or chunks) to append")
    if "blocks" in args:
        _raise_if(block_problem(args["blocks"], MAX_MESSAGE_BLOCKS), "invalid_blocks")
    metadata = args.get("metadata")
    if metadata is not None and not (
        isinstance(metadata, dict) and {"event_type", "event_payload"} <= metadata.keys()
    ):
        raise SlackRejection(
            "invalid_metadata_format", "metadata needs `event_type` and `event_payload`"
        )


def _chunks_problem(chunks: object) -> str | None:
    if not isinstance(chunks, list):
        return "chunks must be a JSON array"
    for index, chunk in enumerate(chunks):
        if not isinstance(chunk, dict) or chunk.get("type") not in CHUNK_TYPES:
            return f"chunk {index} has no known type"
        if chunk["type"] == "markdown_text" and not isinstance(chunk.get("text"), str):
            return f"chunk {index}: a markdown_text chunk needs `text`"
    return None


def _raise_if(problem: str | None, error: str) -> None:
    if problem is not None:
        raise SlackRejection(error, problem)


def block_problem(blocks: object, limit: int) -> str | None:
    """Why `blocks` is not valid Block Kit, or None when it is."""
    if not isinstance(blocks, list):
        return f"blocks must be a JSON array, got {type(blocks).__name__}"
    if len(blocks) > limit:
        return f"{len(blocks)} blocks; at most {limit} are allowed here"
    for index, block in enumerate(blocks):
        if not isinstance(block, dict):
            return f"block {index} is not an object"
        kind = block.get("type")
        try:
            parsed = Block.parse(block)
            if parsed is None:
                return f"block {index}: unknown block type {kind!r}"
            parsed.to_dict()
        except SlackObjectFormationError as error:
            return f"block {index} ({kind}): {error}"
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            # Unknown nested element types parse to None and then fail while serializing.
            return f"block {index} ({kind}) is malformed: {error!r}"
    return None


def view_problem(view: object) -> str | None:
    """Why `view` is not a valid modal or Home tab, or None when it is."""
    if not isinstance(view, dict):
        return f"view must be a JSON object, got {type(view).__name__}"
    kind = view.get("type")
    if kind not in ("modal", "home"):
        return f"view type must be 'modal' or 'home', got {kind!r}"
    if kind == "modal" and not view.get("title"):
        return "a modal needs a title"
    problem = block_problem(view.get("blocks", []), MAX_VIEW_BLOCKS)
    if problem is not None:
        return problem
    try:
        View(**view).to_dict()
    except SlackObjectFormationError as error:
        return f"view: {error}"
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        return f"view is malformed: {error!r}"
    return None
