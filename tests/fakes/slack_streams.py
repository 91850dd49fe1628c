"""Streaming messages in the fake Slack: chat.startStream, chat.appendStream, chat.stopStream.

A started stream is a bot message in the thread at once (conversations.replies shows it, with the
text streamed so far); appends add to its text; stopping it adds the last text, the blocks
"rendered at the bottom of the finalized message" and the metadata, and ends the streaming state.
Appending to or stopping a message that is not streaming fails as Slack does
(``message_not_in_streaming_state``), as does a message that is missing or not the app's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.fakes.slack_contract import MARKDOWN_TEXT_LIMIT, STREAM_METHODS, SlackRejection
from tests.fakes.slack_objects import Args

if TYPE_CHECKING:
    from tests.fakes.slack_workspace import Workspace

__all__ = ["MARKDOWN_TEXT_LIMIT", "STREAM_METHODS", "Streams", "streamed_text"]


def streamed_text(args: Args) -> str:
    """The text a streaming call adds: its markdown_text and its markdown_text chunks."""
    text = str(args.get("markdown_text") or "")
    for chunk in args.get("chunks") or []:
        if isinstance(chunk, dict) and chunk.get("type") == "markdown_text":
            text += str(chunk.get("text") or "")
    return text


class Streams:
    """The streaming state of a workspace's messages, and the three methods' answers."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self.open: set[tuple[str, str]] = set()  # (channel, ts) of messages still streaming
        self.stopped_by_user: set[tuple[str, str]] = set()

    def handlers(self) -> dict[str, Callable[[Args], Args]]:
        """The Web API handlers to register on the workspace."""
        return {
            "chat.startStream": self.start,
            "chat.appendStream": self.append,
            "chat.stopStream": self.stop,
        }

    def is_streaming(self, channel: str, ts: str) -> bool:
        """True while the message is in the streaming state."""
        return (self._workspace.channel_id(channel), ts) in self.open

    def stop_by_user(self, channel: str, ts: str) -> None:
        """The learner pressed stop: the stream ends and later appends fail (stopped_by_user)."""
        key = (self._workspace.channel_id(channel), ts)
        self.open.discard(key)
        self.stopped_by_user.add(key)

    def start(self, args: Args) -> Args:
        workspace = self._workspace
        channel = workspace.channel_id(str(args["channel"]))
        if channel.startswith("C"):
            # Streaming into a channel needs to know whose screen it streams to.
            if not args.get("recipient_user_id"):
                raise SlackRejection("missing_recipient_user_id", "needed in a channel")
            if not args.get("recipient_team_id"):
                raise SlackRejection("missing_recipient_team_id", "needed in a channel")
        message: Args = {
            "type": "message",
            "user": workspace.bot_user_id,
            "bot_id": workspace.bot_id,
            "app_id": workspace.app_id,
            "team": workspace.team_id,
            "text": streamed_text(args),
            "ts": workspace.next_ts(),
        }
        for key in ("thread_ts", "username", "icon_url", "icon_emoji"):
            if args.get(key):
                message[key] = args[key]
        workspace.add_message(channel, message)
        self.open.add((channel, message["ts"]))
        return {"channel": channel, "ts": message["ts"]}

    def _streaming(self, args: Args, *, appending: bool) -> tuple[str, Args]:
        workspace = self._workspace
        channel, ts = workspace.channel_id(str(args["channel"])), str(args["ts"])
        message = workspace.find_message(channel, ts)
        if message is None:
            raise SlackRejection("message_not_found", f"no message {ts} in {channel}")
        if message.get("user") != workspace.bot_user_id:
            raise SlackRejection("message_not_owned_by_app", f"{ts} was not posted by the app")
        if appending and (channel, ts) in self.stopped_by_user:
            raise SlackRejection("stopped_by_user", f"the user stopped {ts}")
        if (channel, ts) not in self.open:
            raise SlackRejection("message_not_in_streaming_state", f"{ts} is not streaming")
        return channel, message

    def append(self, args: Args) -> Args:
        channel, message = self._streaming(args, appending=True)
        message["text"] += streamed_text(args)
        return {"channel": channel, "ts": message["ts"]}

    def stop(self, args: Args) -> Args:
        channel, message = self._streaming(args, appending=False)
        message["text"] += streamed_text(args)
        for key in ("blocks", "metadata"):
            if args.get(key):
                message[key] = args[key]
        self.open.discard((channel, message["ts"]))
        return {"channel": channel, "ts": message["ts"], "message": message}
