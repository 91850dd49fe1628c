"""Reading the files a learner shares: text joins the question, images go to a vision model.

Runs in the LEARNER_MESSAGE task, never in the ack (a download may take longer than Slack's
3 s), and before the message is stored, so the stored message holds what the coach read:

- a text file (``.py``, ``.log``, a traceback, a Slack snippet...) is downloaded within
  ``FILE_MAX_TEXT_BYTES`` and joins the learner's words as a fenced block
  (``bot.coach.attachments``): retrieval, the answer and the thread's history all see it;
- an image (PNG, JPEG, GIF, WebP), when ``LLM_ACCEPTS_IMAGES`` is on and a model is configured,
  is downloaded within ``FILE_MAX_IMAGE_BYTES`` and sent to the model as a data URL with this
  turn's question only. Its bytes are never stored: the message keeps ``[screenshot: name]``;
- anything else, an image the model cannot see, a file over its limit or one Slack would not
  hand over is left unread and named in the reply (``bot.blocks.file_notices``).

A file is fetched only from Slack's file host, with the bot token (``bot.learner.downloads``);
when the event did not carry its details (``file_access: check_file_info``), ``files.info``
gives them. A re-run of the task reads the files again; nothing of them is cached.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from slack_sdk.errors import SlackApiError

from bot.blocks.file_notices import Unreadable, UnreadFile
from bot.coach.attachments import MAX_FILE_CHARS, MAX_FILES_CHARS, fence, note
from bot.deps import Deps
from bot.inbox import InboundMessage, SharedFile
from bot.learner.downloads import Failure, SlackFiles
from bot.learner.file_kinds import FileKind, decode_text, image_mimetype, kind_of, language_of

log = logging.getLogger(__name__)

# Less room than this left in a message's share of file text: its next text file is not read.
MIN_FILE_CHARS = 1_000


@dataclass(frozen=True)
class _Read:
    """One file's contribution: text for the question, an image for the model, or neither."""

    text: str = ""  # what joins the message (a fenced file, or a short note)
    image: str | None = None  # a data URL, for this turn's model call only
    unread: UnreadFile | None = None


@dataclass(frozen=True)
class FileReading:
    """What the coach made of the files of a burst of messages."""

    texts: dict[str, str] = field(default_factory=dict)  # message ts -> text with its files
    images: list[str] = field(default_factory=list)
    unread: list[UnreadFile] = field(default_factory=list)
    read: int = 0  # files read (text or image)
    accepts_images: bool = False

    def with_files(self, messages: Sequence[InboundMessage]) -> list[InboundMessage]:
        """The messages with their files' text joined to what the learner typed."""
        return [replace(m, text=self.texts.get(m.ts, m.text)) for m in messages]

    def nothing_to_answer(self, typed: str) -> bool:
        """True when the learner typed nothing and no file could be read."""
        return not typed.strip() and self.read == 0


def accepts_images(deps: Deps) -> bool:
    """Whether images go to the model: the setting says it reads them, and there is a model."""
    return deps.settings.llm_accepts_images and deps.llm is not None


async def read_files(deps: Deps, messages: Sequence[InboundMessage]) -> FileReading:
    """Read every file of ``messages`` (each message's files in order); never raises for a
    file that cannot be read, which is listed in ``unread`` instead."""
    vision = accepts_images(deps)
    if not any(m.files for m in messages):
        return FileReading(accepts_images=vision)
    settings = deps.settings
    texts: dict[str, str] = {}
    images: list[str] = []
    unread: list[UnreadFile] = []
    read = 0
    slack = await deps.slack_client()  # the workspace's token, sent to SLACK_FILES_URL only
    async with SlackFiles(
        slack.token or "",
        settings.files_base_url,
        timeout_seconds=settings.file_download_timeout_seconds,
    ) as slack_files:
        for message in messages:
            parts = [message.text] if message.text else []
            budget = MAX_FILES_CHARS
            for shared in message.files:
                one = await _read_one(deps, slack_files, shared, vision, budget)
                if one.unread is None and one.image is None:
                    budget -= len(one.text)
                parts.append(one.text)
                if one.image is not None:
                    images.append(one.image)
                if one.unread is not None:
                    unread.append(one.unread)
                else:
                    read += 1
            texts[message.ts] = "\n\n".join(part for part in parts if part)
    return FileReading(texts, images, unread, read, vision)


async def _described(deps: Deps, shared: SharedFile) -> SharedFile | None:
    """The file with its details, asking files.info when the event did not carry them."""
    if shared.url and not shared.check_info:
        return shared
    try:
        response = await (await deps.slack_client()).files_info(file=shared.id)
    except (SlackApiError, OSError, TimeoutError) as exc:
        log.info("files.info failed for a shared file: %s", exc)
        return None
    data = response.get("file")
    return SharedFile.of(data) if isinstance(data, dict) else None


async def _read_one(
    deps: Deps, slack_files: SlackFiles, shared: SharedFile, vision: bool, budget: int
) -> _Read:
    settings = deps.settings
    # What the event says is enough to turn away a PDF, or an image the model cannot see.
    described_enough = shared.mimetype or shared.filetype or "." in shared.name
    refused = _refusal(shared, vision) if described_enough and not shared.check_info else None
    if refused is not None:
        return refused
    described = await _described(deps, shared)
    if described is None or described.mode == "tombstone" or not described.url:
        return _unread(shared, Unreadable.DOWNLOAD)
    shared = described
    refused = _refusal(shared, vision)
    if refused is not None:
        return refused
    kind = kind_of(shared)
    if kind is FileKind.TEXT and budget < MIN_FILE_CHARS:
        return _unread(shared, Unreadable.TOO_MUCH)
    limit = (
        settings.file_max_image_bytes if kind is FileKind.IMAGE else settings.file_max_text_bytes
    )
    if shared.size > limit:
        return _unread(shared, Unreadable.TOO_BIG, limit)
    download = await slack_files.fetch(
        shared.url, limit, html_expected=shared.mimetype.startswith("text/html")
    )
    if download.failure is Failure.TOO_BIG:
        return _unread(shared, Unreadable.TOO_BIG, limit)
    if download.failure is not None:
        return _unread(shared, Unreadable.DOWNLOAD)
    if kind is FileKind.IMAGE:
        mimetype = image_mimetype(download.content)
        if mimetype is None:
            return _unread(shared, Unreadable.KIND)
        encoded = base64.b64encode(download.content).decode("ascii")
        return _Read(
            text=note(shared.name, screenshot=True), image=f"data:{mimetype};base64,{encoded}"
        )
    text = decode_text(download.content)
    if text is None:
        return _unread(shared, Unreadable.KIND)
    limit_chars = min(MAX_FILE_CHARS, budget)
    return _Read(text=fence(shared.name, text, language=language_of(shared), limit=limit_chars))


def _refusal(shared: SharedFile, vision: bool) -> _Read | None:
    """Why the file is not read whatever its bytes, or None when it may be."""
    kind = kind_of(shared)
    if kind is FileKind.OTHER or shared.mode == "external":
        return _unread(shared, Unreadable.KIND)
    if kind is FileKind.IMAGE and not vision:
        return _unread(shared, Unreadable.IMAGE)
    return None


def _unread(shared: SharedFile, why: Unreadable, limit: int = 0) -> _Read:
    # The note keeps the file in the thread's history (and a trainer's view of it).
    label = "screenshot" if why is Unreadable.IMAGE else "file"
    return _Read(
        text=f"[{label}: {shared.name}, not read]", unread=UnreadFile(shared.name, why, limit)
    )
