"""Storing inbound Slack messages as tasks before they are acknowledged.

Slack retries an event whose delivery was not acknowledged in 3 s, and a retry may reach another
process while the first delivery is still being worked on. The message's channel and ts form the
task's dedupe key, so however many deliveries arrive, one task exists and one answer is posted.

Flood control: a learner's messages are always stored (nothing is dropped), and each thread is
answered one message at a time (the ordering key). When a learner has more than ``FLOOD_LIMIT``
messages waiting, they get one polite notice per backlog instead of silence.

Oversize messages (longer than ``max_message_chars``) are not answered, because truncating a
question or a pasted traceback would make the coach answer something the learner did not ask;
the learner is asked, in the thread, to split it or trim it to the part that matters.

Files a learner shares are kept as ``SharedFile`` descriptors (name, type, size, Slack's download
URL), never as content: the answer task downloads and reads them (``bot.learner.files``), after
the ack, since a download can take longer than Slack's 3 s.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.deps import Deps
from bot.logging_setup import current_request_id
from bot.tasks.outbox import SLACK_CALL, Outbox, call_payload, dm_thread_key
from bot.tasks.queue import enqueue
from bot.workspaces.config import is_card_thread
from store.ack_path import Backlog, BacklogNotice, Companion, enqueue_with_backlog_notice

LEARNER_MESSAGE = "learner.message"
# Messages a learner may have waiting before the bot says it is still catching up.
FLOOD_LIMIT = 5
# Shown on a learner's message while it is being answered.
WORKING_REACTION = "eyes"
TRAINER_MESSAGE = "trainer.message"

# Message subtypes that carry a person's new words; edits, deletions, joins and the rest do not.
_NEW_MESSAGE_SUBTYPES = {None, "file_share", "thread_broadcast"}


class Route(StrEnum):
    """What to do with a ``message`` event."""

    LEARNER = "learner"
    TRAINER = "trainer"
    UNSUPPORTED = "unsupported"
    IGNORE = "ignore"


@dataclass(frozen=True)
class SharedFile:
    """A file shared with a message, as Slack describes it (no content)."""

    id: str
    name: str
    mimetype: str = ""
    filetype: str = ""
    size: int = 0
    mode: str = ""  # "hosted", "snippet", "external", "tombstone"...
    url: str = ""  # url_private_download (or url_private); empty when files.info must say
    check_info: bool = False  # Slack withheld the details: ask files.info for them

    @classmethod
    def of(cls, data: dict[str, Any]) -> SharedFile:
        """The descriptor of one entry of an event's ``files``."""
        return cls(
            id=str(data.get("id") or ""),
            name=str(data.get("name") or data.get("title") or "file"),
            mimetype=str(data.get("mimetype") or ""),
            filetype=str(data.get("filetype") or ""),
            size=int(data.get("size") or 0),
            mode=str(data.get("mode") or ""),
            url=str(data.get("url_private_download") or data.get("url_private") or ""),
            # Slack sends this stub instead of the file when the event cannot carry its details.
            check_info=data.get("file_access") == "check_file_info",
        )

    def to_payload(self) -> dict[str, Any]:
        """JSON form stored in the task."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class InboundMessage:
    """The fields of a message event the bot acts on."""

    event_id: str
    user_id: str
    channel_id: str
    ts: str
    thread_ts: str | None
    text: str
    has_files: bool
    files: tuple[SharedFile, ...] = ()

    @property
    def dedupe_key(self) -> str:
        """A channel and ts name one message for good: retries and re-deliveries share it."""
        return f"msg:{self.channel_id}:{self.ts}"

    @property
    def root_ts(self) -> str:
        """The thread this message belongs to (its own ts when it starts one)."""
        return self.thread_ts or self.ts

    def to_payload(self) -> dict[str, Any]:
        """JSON form stored in the task."""
        return {
            "event_id": self.event_id,
            "user_id": self.user_id,
            "channel_id": self.channel_id,
            "ts": self.ts,
            "thread_ts": self.thread_ts,
            "text": self.text,
            "has_files": self.has_files,
            "files": [shared.to_payload() for shared in self.files],
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> InboundMessage:
        """Inverse of ``to_payload`` (a task stored before files were read has none)."""
        fields = {key: data[key] for key in cls.__dataclass_fields__ if key != "files"}
        files = tuple(SharedFile(**item) for item in data.get("files") or [])
        return cls(**fields, files=files)


def parse_message(event: dict[str, Any], event_id: str) -> InboundMessage:
    """The message fields of a Slack ``message`` event."""
    return InboundMessage(
        event_id=event_id,
        user_id=str(event.get("user", "")),
        channel_id=str(event.get("channel", "")),
        ts=str(event.get("ts", "")),
        thread_ts=event.get("thread_ts"),
        text=str(event.get("text") or "").strip(),
        has_files=bool(event.get("files")),
        files=tuple(
            SharedFile.of(item)
            for item in event.get("files") or []
            if isinstance(item, dict) and item.get("id")
        ),
    )


def route_message(event: dict[str, Any]) -> Route:
    """Decide, from the event alone, who a message is from and whether the bot acts on it.

    A reply in a channel thread is ``TRAINER`` here; whether that thread is a card's is read
    only then, with the message's storing (``accept_trainer_message``), so DMs and channel
    messages outside threads cost no read at all.
    """
    if event.get("bot_id") or event.get("subtype") not in _NEW_MESSAGE_SUBTYPES:
        return Route.IGNORE
    if not event.get("user"):
        return Route.IGNORE
    if event.get("channel_type") == "im":
        if not str(event.get("text") or "").strip() and not event.get("files"):
            return Route.UNSUPPORTED
        return Route.LEARNER
    if event.get("thread_ts") and event.get("thread_ts") != event.get("ts"):
        return Route.TRAINER
    return Route.IGNORE


async def accept_learner_message(deps: Deps, message: InboundMessage) -> bool:
    """Store a learner's DM as a task; False when this event was already stored."""
    limit = deps.settings.max_message_chars
    if len(message.text) > limit:
        await post_notice(
            deps,
            message,
            f"That message is {len(message.text):,} characters long; I can read up to "
            f"{limit:,} at a time. Could you send the key part (the question and the lines of "
            "code or the error that matter), or split it into a few messages?",
            dedupe_key=f"oversize:{message.dedupe_key}",
        )
        return False
    notice = BacklogNotice(
        kind=SLACK_CALL,
        payload=call_payload(
            "chat.postMessage",
            {
                "channel": message.channel_id,
                "thread_ts": message.root_ts,
                "text": (
                    "I'm still working on your earlier questions. I've noted this one too "
                    "and will answer each of them in turn, so there's no need to resend."
                ),
            },
        ),
        # Not the thread's key: the notice must not wait behind the answers it announces.
        ordering_key=f"notice:{message.channel_id}",
        # One notice per backlog: the key ends with the oldest waiting message's task id.
        key_prefix=f"flood:{message.user_id}:",
        limit=FLOOD_LIMIT,
    )
    stored = await _store_learner_message(deps, message, notice)
    deps.announcer.announce()
    return stored.task_id is not None


async def _store_learner_message(
    deps: Deps, message: InboundMessage, notice: BacklogNotice
) -> Backlog:
    # The ack waits on this: one statement in autocommit, committed before the 200.
    return await enqueue_with_backlog_notice(
        deps.db,
        LEARNER_MESSAGE,
        message.to_payload(),
        user_id=message.user_id,
        ordering_key=dm_thread_key(message.channel_id, message.root_ts),
        dedupe_key=message.dedupe_key,
        notice=notice,
        request_id=current_request_id(),
        # A burst of messages in one thread is answered together, a window after the latest.
        delay_seconds=deps.settings.burst_window_seconds,
        companion=_seen(deps, message),
    )


def seen_key(channel_id: str) -> str:
    """The ordering key of a DM channel's working reactions: each is cleared after it is added."""
    return f"seen:{channel_id}"


def _seen(deps: Deps, message: InboundMessage) -> Companion:
    """Each message shows at once that it was seen: the working reaction, stored with it and
    claimed ahead of the answers waiting for a worker slot (however busy the slots are with
    model calls, and during a burst window), which the answer task clears (``bot.learner.flow``)."""
    return Companion(
        kind=SLACK_CALL,
        payload=call_payload(
            "reactions.add",
            {"channel": message.channel_id, "timestamp": message.ts, "name": WORKING_REACTION},
        ),
        # Not the thread's key: the reaction must not wait behind the answers.
        ordering_key=seen_key(message.channel_id),
        dedupe_key=f"seen:{message.dedupe_key}",
    )


async def post_notice(deps: Deps, message: InboundMessage, text: str, *, dedupe_key: str) -> None:
    """Reply in the learner's thread with plain text, through the outbox, in its own transaction."""
    async with deps.sessions.begin() as session:
        await Outbox(session).call(
            "chat.postMessage",
            {"channel": message.channel_id, "thread_ts": message.root_ts, "text": text},
            ordering_key=dm_thread_key(message.channel_id, message.root_ts),
            dedupe_key=dedupe_key,
        )


async def accept_trainer_message(deps: Deps, message: InboundMessage) -> bool:
    """Store a message from a card thread (in the workspace's trainer channel, or a card's
    thread left in a channel used before) as a task; False when it was stored already, or it is
    in no card's channel (nothing to do)."""
    async with deps.sessions.begin() as session:
        if not await is_card_thread(session, deps.settings, message.channel_id, message.root_ts):
            return False
        task_id = await enqueue(
            session,
            TRAINER_MESSAGE,
            message.to_payload(),
            ordering_key=f"trainer:{message.channel_id}:{message.root_ts}",
            dedupe_key=message.dedupe_key,
        )
    return task_id is not None


async def explain_unsupported(deps: Deps, message: InboundMessage) -> None:
    """Reply to an empty DM with what the coach can read."""
    text = (
        "That message had nothing I could read. Please type your question (you can paste code "
        "or an error message, or attach a .py file or a traceback) and I'll answer from your "
        "course."
    )
    await post_notice(deps, message, text, dedupe_key=f"unsupported:{message.dedupe_key}")


__all__ = [
    "FLOOD_LIMIT",
    "LEARNER_MESSAGE",
    "TRAINER_MESSAGE",
    "InboundMessage",
    "Route",
    "SharedFile",
    "accept_learner_message",
    "accept_trainer_message",
    "explain_unsupported",
    "parse_message",
    "post_notice",
    "route_message",
]
