"""How Slack shapes the objects the fake returns: users, files, message pages, ids."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from typing import Any

Args = dict[str, Any]
FIRST_TS_SECONDS = 1_700_000_000


@dataclass
class UploadedFile:
    """A file sent through files.getUploadURLExternal, the upload URL and completeUploadExternal."""

    id: str
    filename: str
    length: int
    title: str | None = None
    content: bytes = b""
    uploaded: bool = False
    completed: bool = False
    channel_id: str | None = None
    thread_ts: str | None = None
    initial_comment: str | None = None
    # Set for a file a person shared (FakeSlack.host_file) rather than one the bot uploaded.
    owner: str | None = None
    mimetype: str | None = None
    filetype: str | None = None
    mode: str = "hosted"

    @property
    def text(self) -> str:
        """The content decoded as UTF-8."""
        return self.content.decode("utf-8")


def flag(value: object) -> bool:
    """A boolean argument as Slack reads it from JSON or a form ("1", "true")."""
    return value in (True, 1, "1", "true", "True")


def stable_id(prefix: str, *parts: str) -> str:
    """An id like Slack's ("D0123ABCDE"), the same for the same parts."""
    return prefix + hashlib.sha1(",".join(parts).encode()).hexdigest()[:10].upper()


def synthesize_user(user_id: str, *, team_id: str, is_bot: bool = False) -> Args:
    """A plausible users.info user made up from its id."""
    name = user_id.lower()
    real_name = f"User {user_id}"
    avatar = f"https://avatars.example.com/{user_id}"
    return {
        "id": user_id,
        "team_id": team_id,
        "name": name,
        "deleted": False,
        "real_name": real_name,
        "tz": "Europe/Berlin",
        "tz_label": "Central European Time",
        "tz_offset": 3600,
        "is_bot": is_bot,
        "is_admin": False,
        "is_app_user": False,
        "updated": FIRST_TS_SECONDS,
        "profile": {
            "real_name": real_name,
            "real_name_normalized": real_name,
            "display_name": name,
            "display_name_normalized": name,
            "email": f"{name}@example.com",
            **{f"image_{px}": f"{avatar}_{px}.png" for px in (24, 32, 48, 72, 192, 512)},
            "team": team_id,
        },
    }


def file_object(upload: UploadedFile, *, owner: str, origin: str, team_id: str) -> Args:
    """The file as Slack describes it in API responses."""
    mimetype = (
        upload.mimetype or mimetypes.guess_type(upload.filename)[0] or "application/octet-stream"
    )
    extension = upload.filename.rsplit(".", 1)[-1] if "." in upload.filename else ""
    owner = upload.owner or owner
    # files.slack.com's layout: /files-pri/<team>-<file id>/[download/]<name>
    private = f"{origin}/files-pri/{team_id}-{upload.id}"
    return {
        "id": upload.id,
        "name": upload.filename,
        "title": upload.title or upload.filename,
        "mimetype": mimetype,
        "filetype": upload.filetype if upload.filetype is not None else extension,
        "size": len(upload.content),
        "mode": upload.mode,
        "user": owner,
        "created": FIRST_TS_SECONDS,
        "url_private": f"{private}/{upload.filename}",
        "url_private_download": f"{private}/download/{upload.filename}",
        "permalink": f"https://fake-workspace.slack.com/files/{owner}/{upload.id}",
    }


def page(messages: list[Args], args: Args, *, default_limit: int) -> Args:
    """Slack's oldest/latest/limit/cursor window over messages."""
    inclusive = flag(args.get("inclusive"))
    oldest, latest = float(args.get("oldest") or 0), float(args.get("latest") or "inf")
    window = [
        m
        for m in messages
        if (oldest <= float(m["ts"]) <= latest if inclusive else oldest < float(m["ts"]) < latest)
        or m["ts"] in (args.get("ts"),)
    ]
    start = int(args.get("cursor") or 0)
    limit = int(args.get("limit") or default_limit)
    chunk = window[start : start + limit]
    has_more = start + limit < len(window)
    return {
        "messages": chunk,
        "has_more": has_more,
        "response_metadata": {"next_cursor": str(start + limit) if has_more else ""},
    }
