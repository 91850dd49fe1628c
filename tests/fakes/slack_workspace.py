"""The fake Slack's state (messages, users, DMs, views, files) and its Slack-like answers."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable
from typing import Any

from tests.fakes.slack_contract import SlackRejection
from tests.fakes.slack_objects import (
    FIRST_TS_SECONDS,
    Args,
    UploadedFile,
    file_object,
    flag,
    page,
    stable_id,
    synthesize_user,
)
from tests.fakes.slack_streams import Streams


class Workspace:
    """One Slack workspace as seen by one bot; `respond` serves a validated call."""

    def __init__(
        self,
        *,
        team_id: str,
        bot_user_id: str,
        bot_id: str,
        app_id: str,
        team_name: str = "Fake Workspace",
    ) -> None:
        self.team_id, self.bot_user_id, self.bot_id, self.app_id = (
            team_id,
            bot_user_id,
            bot_id,
            app_id,
        )
        self.team_name = team_name
        self.upload_origin = ""
        self.socket_url = ""  # apps.connections.open answers it (tests/fakes/socket_mode.py)
        self.messages: dict[str, list[Args]] = {}
        self.users: dict[str, Args] = {}
        self.views: dict[str, Args] = {}
        self.home_views: dict[str, Args] = {}
        self.files: dict[str, UploadedFile] = {}
        self.reactions: dict[tuple[str, str], list[str]] = {}
        self.open_dms: set[str] = set()
        # Agent sessions by (channel id, thread ts): their status and title, and every status
        # each one went through, in order.
        self.agent_sessions: dict[tuple[str, str], Args] = {}
        self._counter = itertools.count(1)
        self.streams = Streams(self)
        self._handlers: dict[str, Callable[[Args], Args]] = {
            **self.streams.handlers(),
            "auth.test": self._auth_test,
            "apps.connections.open": lambda args: {"url": self.socket_url},
            "chat.postMessage": self._post_message,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.update": self._update_message,
            "chat.delete": self._delete_message,
            "chat.getPermalink": self._permalink,
            "reactions.add": self._add_reaction,
            "reactions.remove": self._remove_reaction,
            "conversations.open": self._open_conversation,
            "conversations.history": self._history,
            "conversations.replies": self._replies,
            "users.info": lambda args: {"user": self.user(str(args["user"]))},
            "users.lookupByEmail": self._lookup_by_email,
            "views.open": self._open_view,
            "views.push": self._open_view,
            "views.publish": self._publish_view,
            "views.update": self._update_view,
            "files.getUploadURLExternal": self._upload_url,
            "files.completeUploadExternal": self._complete_upload,
            "files.info": self._file_info,
            "agents.sessions.setStatus": self._set_session_status,
            "agents.sessions.rename": self._rename_session,
        }

    def respond(self, method: str, args: Args) -> Args:
        """The response body (without `ok`) of an accepted call; SlackRejection on state errors."""
        handler = self._handlers.get(method)
        return handler(args) if handler is not None else {}

    # ---- identities

    def next_ts(self) -> str:
        """A message timestamp, unique and increasing: 1700000000.000100, .000200, ..."""
        micros = next(self._counter) * 100
        return f"{FIRST_TS_SECONDS + micros // 1_000_000}.{micros % 1_000_000:06d}"

    def dm_channel_id(self, *user_ids: str) -> str:
        """The stable DM ("D...") or group DM ("G...") id the bot gets for these users."""
        users = sorted(set(user_ids) - {self.bot_user_id})
        return stable_id("D" if len(users) == 1 else "G", *users)

    def add_user(self, user_id: str, **fields: Any) -> Args:
        """Register a user; `fields` override the synthesized user and its `profile`."""
        user = synthesize_user(user_id, team_id=self.team_id, is_bot=user_id == self.bot_user_id)
        profile = {**user["profile"], **fields.pop("profile", {})}
        for key in ("display_name", "email", "image_72", "image_192", "title", "status_text"):
            if key in fields:
                profile[key] = fields.pop(key)
        if "real_name" in fields:
            profile["real_name"] = profile["real_name_normalized"] = fields["real_name"]
        user.update(fields, profile=profile)
        self.users[user_id] = user
        return user

    def user(self, user_id: str) -> Args:
        """The registered user, or one synthesized from the id."""
        return self.users.get(user_id) or synthesize_user(
            user_id, team_id=self.team_id, is_bot=user_id == self.bot_user_id
        )

    def _auth_test(self, _: Args) -> Args:
        return {
            "url": "https://fake-workspace.slack.com/",
            "team": self.team_name,
            "user": "coachbot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "is_enterprise_install": False,
        }

    def _lookup_by_email(self, args: Args) -> Args:
        for user in self.users.values():
            if user["profile"].get("email") == args["email"]:
                return {"user": user}
        raise SlackRejection("users_not_found", f"no user added with email {args['email']}")

    # ---- messages

    def channel_id(self, channel: str) -> str:
        """Slack's answer to a `channel` argument: a user id posts to that user's DM."""
        if channel[:1] in ("U", "W"):
            return self.dm_channel_id(channel)
        if channel.startswith("#"):
            return stable_id("C", channel[1:])
        return channel

    def add_message(self, channel: str, message: Args) -> Args:
        """Store a message (any author) so history, replies, update and delete can see it."""
        message.setdefault("type", "message")
        message.setdefault("ts", self.next_ts())
        stored = self.messages.setdefault(self.channel_id(channel), [])
        stored.append(message)
        stored.sort(key=lambda m: float(m["ts"]))
        thread_ts = message.get("thread_ts")
        parent = self.find_message(channel, thread_ts) if thread_ts else None
        if parent is not None and parent is not message:
            parent["thread_ts"] = thread_ts
            parent["reply_count"] = parent.get("reply_count", 0) + 1
            parent["latest_reply"] = message["ts"]
            users = parent.setdefault("reply_users", [])
            if message.get("user") and message["user"] not in users:
                users.append(message["user"])
        return message

    def find_message(self, channel: str, ts: str) -> Args | None:
        """The stored message with this ts in this channel."""
        for message in self.messages.get(self.channel_id(channel), []):
            if message["ts"] == ts:
                return message
        return None

    def _bot_message(self, args: Args) -> Args:
        message: Args = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "text": args.get("text") or "",
            "ts": self.next_ts(),
        }
        for key in ("blocks", "attachments", "metadata", "thread_ts"):
            if key in args:
                message[key] = args[key]
        return message

    def _post_message(self, args: Args) -> Args:
        channel = self.channel_id(str(args["channel"]))
        message = self.add_message(channel, self._bot_message(args))
        if flag(args.get("reply_broadcast")):
            message["subtype"] = "thread_broadcast"
        return {"channel": channel, "ts": message["ts"], "message": message}

    def _post_ephemeral(self, args: Args) -> Args:
        # Ephemeral messages never appear in history; tests read them from the recorded calls.
        return {"message_ts": self.next_ts()}

    def _own_message(self, args: Args, verb: str) -> tuple[str, Args]:
        channel, ts = self.channel_id(str(args["channel"])), str(args["ts"])
        message = self.find_message(channel, ts)
        if message is None:
            raise SlackRejection(
                "message_not_found",
                f"no message {ts} in {channel}; seed messages the bot did not post "
                "with slack.add_message(...)",
            )
        if message.get("user") != self.bot_user_id:
            raise SlackRejection(f"cant_{verb}_message", f"{ts} was not posted by the bot")
        return channel, message

    def _update_message(self, args: Args) -> Args:
        channel, message = self._own_message(args, "update")
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in args:
                message[key] = args[key]
        message["edited"] = {"user": self.bot_user_id, "ts": self.next_ts()}
        return {
            "channel": channel,
            "ts": message["ts"],
            "text": message["text"],
            "message": message,
        }

    def _delete_message(self, args: Args) -> Args:
        channel, message = self._own_message(args, "delete")
        self.messages[channel].remove(message)
        return {"channel": channel, "ts": message["ts"]}

    def _permalink(self, args: Args) -> Args:
        channel, ts = self.channel_id(str(args["channel"])), str(args["message_ts"])
        link = f"https://fake-workspace.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        message = self.find_message(channel, ts)
        if message is not None and message.get("thread_ts", ts) != ts:
            link += f"?thread_ts={message['thread_ts']}&cid={channel}"
        return {"channel": channel, "permalink": link}

    def _reaction_key(self, args: Args) -> tuple[str, str]:
        if "channel" not in args or "timestamp" not in args:
            raise SlackRejection("no_item_specified", "channel and timestamp are required")
        return self.channel_id(str(args["channel"])), str(args["timestamp"])

    def _add_reaction(self, args: Args) -> Args:
        names = self.reactions.setdefault(self._reaction_key(args), [])
        if args["name"] in names:
            raise SlackRejection("already_reacted", f":{args['name']}: is already there")
        names.append(str(args["name"]))
        return {}

    def _remove_reaction(self, args: Args) -> Args:
        names = self.reactions.get(self._reaction_key(args), [])
        if args["name"] not in names:
            raise SlackRejection("no_reaction", f"the bot has no :{args['name']}: there")
        names.remove(args["name"])
        return {}

    # ---- agent sessions

    def _session_key(self, args: Args) -> tuple[str, str]:
        channel = self.channel_id(str(args["channel_id"]))
        if "thread_ts" not in args:
            # Only session channels go without one, and the bot has none.
            raise SlackRejection("thread_ts_required", "DM sessions are scoped to a thread")
        return channel, str(args["thread_ts"])

    def _set_session_status(self, args: Args) -> Args:
        key = self._session_key(args)
        session = self.agent_sessions.get(key)
        if session is None:
            # setStatus creates the session; its title is only used then.
            session = {"status": None, "title": args.get("title"), "history": []}
            self.agent_sessions[key] = session
        session["status"] = args["status"]
        session["history"].append(args["status"])
        return {"status": args["status"], "agent_status": args["status"], "title": session["title"]}

    def _rename_session(self, args: Args) -> Args:
        session = self.agent_sessions.get(self._session_key(args))
        if session is None:
            raise SlackRejection("session_not_found", "no agent session in that thread")
        title = str(args["title"])
        if not 1 <= len(title) <= 200:
            raise SlackRejection("invalid_arguments", f"title is {len(title)} chars (1-200)")
        session["title"] = title
        return {"title": title}

    # ---- conversations

    def _open_conversation(self, args: Args) -> Args:
        if "channel" in args:
            return {"channel": {"id": args["channel"]}, "no_op": True, "already_open": True}
        users = [u.strip() for u in str(args.get("users", "")).split(",") if u.strip()]
        if not users:
            raise SlackRejection("users_list_not_supplied", "pass `users` or `channel`")
        channel_id = self.dm_channel_id(*users)
        already = channel_id in self.open_dms
        self.open_dms.add(channel_id)
        channel: Args = {"id": channel_id}
        if flag(args.get("return_im")):
            channel |= {"is_im": len(users) == 1, "user": users[0], "is_open": True}
        return {"channel": channel, "no_op": already, "already_open": already}

    def _history(self, args: Args) -> Args:
        top_level = [
            m
            for m in self.messages.get(self.channel_id(str(args["channel"])), [])
            if m.get("thread_ts", m["ts"]) == m["ts"] or m.get("subtype") == "thread_broadcast"
        ]
        return page(list(reversed(top_level)), args, default_limit=100)

    def _replies(self, args: Args) -> Args:
        ts = str(args["ts"])
        thread = [
            m
            for m in self.messages.get(self.channel_id(str(args["channel"])), [])
            if ts in (m["ts"], m.get("thread_ts"))
        ]
        if not thread:
            raise SlackRejection(
                "thread_not_found", f"no messages in thread {ts}; seed with slack.add_message"
            )
        return page(thread, args, default_limit=1000)

    # ---- views

    def _make_view(self, spec: Args, view_id: str | None = None, root: str | None = None) -> Args:
        view_id = view_id or stable_id("V", str(next(self._counter)))
        view: Args = {
            "team_id": self.team_id,
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "state": {"values": {}},
            "clear_on_close": False,
            "notify_on_close": False,
            "previous_view_id": None,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
            **spec,
            "id": view_id,
            "root_view_id": root or view_id,
            "hash": f"{FIRST_TS_SECONDS}.{next(self._counter)}",
        }
        self.views[view_id] = view
        return view

    def _open_view(self, args: Args) -> Args:
        if not args.get("trigger_id") and not args.get("interactivity_pointer"):
            raise SlackRejection("invalid_trigger_id", "views.open/push need a trigger_id")
        return {"view": self._make_view(args["view"])}

    def _publish_view(self, args: Args) -> Args:
        if args["view"].get("type") != "home":
            raise SlackRejection("invalid_arguments", "views.publish only takes a home view")
        user_id = str(args["user_id"])
        current = self.home_views.get(user_id)
        view = self._make_view(args["view"], view_id=current["id"] if current else None)
        self.home_views[user_id] = view
        return {"view": view}

    def _update_view(self, args: Args) -> Args:
        view_id = args.get("view_id")
        if not view_id and not args.get("external_id"):
            raise SlackRejection("invalid_arguments", "views.update needs view_id or external_id")
        if not view_id:
            by_external = [
                v for v in self.views.values() if v["external_id"] == args["external_id"]
            ]
            if not by_external:
                raise SlackRejection("not_found", f"no view with external_id {args['external_id']}")
            view_id = by_external[0]["id"]
        # Unknown view ids are accepted: scenario payloads may carry ids the fake never issued.
        current = self.views.get(str(view_id))
        if current is not None and args.get("hash") and args["hash"] != current["hash"]:
            raise SlackRejection("hash_conflict", "the view changed since that hash was issued")
        root = current["root_view_id"] if current else None
        return {"view": self._make_view(args["view"], view_id=str(view_id), root=root)}

    # ---- files

    def new_file_id(self) -> str:
        """A fresh file id ("F...")."""
        return stable_id("F", str(next(self._counter)))

    def _upload_url(self, args: Args) -> Args:
        file_id = self.new_file_id()
        self.files[file_id] = UploadedFile(
            id=file_id, filename=str(args["filename"]), length=int(args["length"])
        )
        return {"file_id": file_id, "upload_url": f"{self.upload_origin}/upload/{file_id}"}

    def _complete_upload(self, args: Args) -> Args:
        items = args["files"]
        if not isinstance(items, list) or not items:
            raise SlackRejection("invalid_arguments", "`files` must be a non-empty JSON array")
        done = []
        for item in items:
            upload = self.files.get(str(item.get("id")))
            if upload is None or not upload.uploaded:
                raise SlackRejection("file_not_found", f"{item.get('id')} was never uploaded")
            upload.title = item.get("title") or upload.filename
            upload.completed = True
            upload.channel_id = args.get("channel_id")
            upload.thread_ts = args.get("thread_ts")
            upload.initial_comment = args.get("initial_comment")
            done.append(upload)
        if args.get("channel_id"):
            share = {"text": args.get("initial_comment") or "", "thread_ts": args.get("thread_ts")}
            message = self._bot_message({k: v for k, v in share.items() if v is not None})
            message["files"] = [self.file_object(f) for f in done]
            self.add_message(str(args["channel_id"]), message)
        return {"files": [self.file_object(f) for f in done]}

    def _file_info(self, args: Args) -> Args:
        upload = self.files.get(str(args["file"]))
        if upload is None:
            raise SlackRejection("file_not_found", f"no file {args['file']}")
        info: Args = {"file": self.file_object(upload)}
        with contextlib.suppress(UnicodeDecodeError):
            info["content"] = upload.text  # Slack adds it for text files and snippets
        return info

    def file_object(self, upload: UploadedFile) -> Args:
        """The file as Slack describes it in API responses."""
        return file_object(
            upload, owner=self.bot_user_id, origin=self.upload_origin, team_id=self.team_id
        )
