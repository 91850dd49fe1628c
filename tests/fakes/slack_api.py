"""A fake Slack Web API that checks every call against Slack's published contract.

async with FakeSlack() as slack:
    client = AsyncWebClient(token="xoxb-test", base_url=slack.base_url)
    await client.chat_postMessage(channel="C1", text="hi")
    [call] = await slack.wait_for("chat.postMessage")
    assert slack.errors == []
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.faults import Fault, FaultInjector, InjectedFailure
from tests.fakes.local_server import LocalServer
from tests.fakes.recorder import Recorder
from tests.fakes.slack_contract import (
    MAX_MESSAGE_BLOCKS,
    STREAM_METHODS,
    SlackRejection,
    block_problem,
    check_call,
    decode_json_args,
)
from tests.fakes.slack_files import FileDownload, FileHost
from tests.fakes.slack_oauth import Installs
from tests.fakes.slack_objects import UploadedFile
from tests.fakes.slack_workspace import Workspace

__all__ = [
    "FakeSlack",
    "FileDownload",
    "Hold",
    "InjectedFailure",
    "RecordedCall",
    "RejectedCall",
    "UploadedFile",
]


@dataclass(frozen=True)
class RecordedCall:
    """An accepted Web API call (or a post to a response_url, with method "response_url")."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    at: float  # time.monotonic() on arrival
    token: str | None = None
    path: str = ""


@dataclass(frozen=True)
class RejectedCall:
    """A call answered with `{"ok": false}`: a contract violation or a state error."""

    method: str
    args: dict[str, Any]
    error: str
    reason: str
    at: float = field(default_factory=time.monotonic)


@dataclass
class Hold:
    """Calls to one method kept unanswered until the test releases them."""

    method: str
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)

    async def wait_arrived(self, timeout: float = 10) -> None:
        """Wait until a call to the held method is waiting; AssertionError on timeout."""
        try:
            async with asyncio.timeout(timeout):
                await self.arrived.wait()
        except TimeoutError:
            raise AssertionError(f"no call to {self.method} within {timeout} s") from None

    def release(self) -> None:
        """Answer the waiting calls and every later one at once."""
        self.released.set()


def _describe(call: RecordedCall) -> str:
    return f"{call.method} {json.dumps(call.args, default=str)[:300]}"


class FakeSlack(LocalServer):
    """Slack's Web API on 127.0.0.1; point `AsyncWebClient(base_url=slack.base_url)` at it."""

    def __init__(
        self,
        *,
        team_id: str = "T0FAKE001",
        bot_user_id: str = "U0BOT0001",
        bot_id: str = "B0BOT0001",
        app_id: str = "A0APP0001",
        bot_token: str = "xoxb-test-token",
    ) -> None:
        super().__init__()
        self.workspace = Workspace(
            team_id=team_id, bot_user_id=bot_user_id, bot_id=bot_id, app_id=app_id
        )
        # Other workspaces, their tokens and OAuth installs (tests/fakes/slack_oauth.py); calls
        # with `bot_token` or a token the fake never issued are served by `workspace`.
        self.installs = Installs(self.workspace, bot_token)
        self.latency: dict[str | None, float] = {}
        self.injected: list[InjectedFailure] = []
        self._calls: Recorder[RecordedCall] = Recorder(_describe)
        self._errors: Recorder[RejectedCall] = Recorder(repr)
        self._faults = FaultInjector()
        # Only faults injected for "response_url" by name reach response_url posts.
        self._response_url_faults = FaultInjector()
        # channel -> Slack error answered to every message write into that channel.
        self.channel_errors: dict[str, str] = {}
        self._holds: dict[str, Hold] = {}
        self.app.router.add_post("/api/{method}", self._handle_api)
        self.app.router.add_get("/api/{method}", self._handle_api)
        self.app.router.add_post("/upload/{file_id}", self._handle_upload)
        # Files people share, served only to the bot's token (tests/fakes/slack_files.py).
        self.file_host = FileHost(self.workspace, self.app, bot_token)
        self.app.router.add_post("/response_url/{name}", self._handle_response_url)

    async def _on_started(self) -> None:
        self.workspace.upload_origin = self.origin

    # ---- what tests read

    @property
    def base_url(self) -> str:
        """The SLACK_API_URL for the bot: `http://127.0.0.1:PORT/api/`."""
        return f"{self.origin}/api/"

    @property
    def calls(self) -> list[RecordedCall]:
        """Every accepted call, in arrival order."""
        return self._calls.items

    @property
    def errors(self) -> list[RejectedCall]:
        """Every call answered with ok=false (injected faults excluded)."""
        return self._errors.items

    @property
    def files(self) -> dict[str, UploadedFile]:
        """Uploaded files by id; `.content` holds the bytes, `.text` the decoded text."""
        return self.workspace.files

    @property
    def downloads(self) -> list[FileDownload]:
        """Every GET of a shared file, in arrival order (recorded once its body ended)."""
        return self.file_host.downloads.items

    async def wait_for_download(self, count: int = 1, timeout: float = 10) -> list[FileDownload]:
        """The first ``count`` downloads of shared files, as soon as they have ended."""
        return await self.file_host.downloads.wait_for(
            None, count=count, timeout=timeout, what="file download"
        )

    @property
    def bot_user_id(self) -> str:
        """The bot's user id, as auth.test reports it."""
        return self.workspace.bot_user_id

    def calls_to(
        self, method: str, predicate: Callable[[RecordedCall], bool] | None = None
    ) -> list[RecordedCall]:
        """Accepted calls to `method` that satisfy `predicate`."""
        return self._calls.matching(
            lambda c: c.method == method and (not predicate or predicate(c))
        )

    async def wait_for(
        self,
        method: str | None,
        predicate: Callable[[RecordedCall], bool] | None = None,
        count: int = 1,
        timeout: float = 10,
    ) -> list[RecordedCall]:
        """The first `count` accepted calls to `method` (any method when None) matching
        `predicate`, as soon as they exist; AssertionError listing every call on timeout."""
        return await self._calls.wait_for(
            lambda c: (method is None or c.method == method) and (not predicate or predicate(c)),
            count=count,
            timeout=timeout,
            what=method or "any call",
        )

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Messages stored in a channel (posted by the bot or seeded), oldest first."""
        return self.workspace.messages.get(self.workspace.channel_id(channel), [])

    def is_streaming(self, channel: str, ts: str) -> bool:
        """True while a message started with chat.startStream has not been stopped."""
        return self.workspace.streams.is_streaming(channel, ts)

    def stop_stream_by_user(self, channel: str, ts: str) -> None:
        """The learner stops a streaming message: later appends and stops fail as in Slack."""
        self.workspace.streams.stop_by_user(channel, ts)

    def disable_streaming(self, error: str = "unknown_method") -> None:
        """Answer every streaming call with `error` (HTTP 200, ok false) until `clear_faults()`:
        a workspace or plan where Slack's streaming methods are not available."""
        for method in STREAM_METHODS:
            self._faults.add_ratio(method, Fault(200, None, error), 1.0, 0)

    def reactions(self, channel: str, ts: str) -> list[str]:
        """Reaction names the bot currently has on a message."""
        return self.workspace.reactions.get((self.workspace.channel_id(channel), ts), [])

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        """The Home tab last published for a user."""
        return self.workspace.home_views.get(user_id)

    def view(self, view_id: str) -> dict[str, Any] | None:
        """A view opened, pushed, updated or published through the fake."""
        return self.workspace.views.get(view_id)

    def dm_channel_id(self, *user_ids: str) -> str:
        """The DM id conversations.open returns for these users (stable, known in advance)."""
        return self.workspace.dm_channel_id(*user_ids)

    def response_url(self, name: str = "default") -> str:
        """A response_url for payloads; posts to it are recorded with method "response_url"."""
        return f"{self.origin}/response_url/{name}"

    # ---- what tests arrange

    def add_user(self, user_id: str, **fields: Any) -> dict[str, Any]:
        """Make users.info return this user: real_name, display_name, email, image_72, is_bot..."""
        return self.workspace.add_user(user_id, **fields)

    def add_message(
        self,
        channel: str,
        text: str = "",
        *,
        user: str = "U0LEARNER",
        ts: str | None = None,
        thread_ts: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """Seed a message the bot did not post (e.g. a learner's) for history/replies."""
        message: dict[str, Any] = {"type": "message", "user": user, "text": text, **fields}
        message["ts"] = ts or self.workspace.next_ts()
        if thread_ts:
            message["thread_ts"] = thread_ts
        return self.workspace.add_message(channel, message)

    def host_file(
        self,
        name: str,
        content: bytes,
        *,
        user: str = "U0LEARNER",
        mimetype: str | None = None,
        filetype: str | None = None,
        mode: str = "hosted",
    ) -> dict[str, Any]:
        """A file a person shared, downloadable with the bot token; returns the file object a
        ``file_share`` event carries (mimetype and filetype guessed from the name unless given)."""
        return self.file_host.host(
            name, content, user=user, mimetype=mimetype, filetype=filetype, mode=mode
        )

    def redirect_file(self, file_id: str, location: str) -> None:
        """Answer downloads of a hosted file with a 302 to ``location`` instead."""
        self.file_host.redirects[file_id] = location

    def inject(
        self,
        method: str | None = None,
        *,
        status: int | None = None,
        retry_after: int = 1,
        times: int = 1,
        error: str | None = None,
    ) -> None:
        """Answer the next `times` calls to `method` (all when None; "response_url" for posts to
        a response_url) with a failure: 429 with Retry-After (the default), another status with
        a plain body, or with `error` given, HTTP 200 and `{"ok": false, "error": error}`."""
        status = status if status is not None else (200 if error else 429)
        faults = self._response_url_faults if method == "response_url" else self._faults
        faults.add(method, Fault(status, retry_after, error), times)

    def fail_ratio(
        self,
        method: str | None,
        ratio: float,
        status: int = 500,
        seed: int = 0,
        *,
        retry_after: int = 1,
        error: str | None = None,
    ) -> None:
        """Fail a seeded-random `ratio` of calls to `method` until `clear_faults()`."""
        self._faults.add_ratio(method, Fault(status, retry_after, error), ratio, seed)

    def clear_faults(self) -> None:
        """Stop injecting failures."""
        self._faults.clear()
        self._response_url_faults.clear()
        self.channel_errors.clear()

    def fail_channel(self, channel: str, error: str = "not_in_channel") -> None:
        """Answer every chat.postMessage, chat.update, chat.postEphemeral and chat.startStream
        into `channel` with `error` (HTTP 200, ok false) until `clear_faults()`."""
        self.channel_errors[channel] = error

    def set_latency(self, seconds: float, method: str | None = None) -> None:
        """Delay responses to `method` (every method when None) without blocking others."""
        self.latency[method] = seconds

    @contextmanager
    def hold(self, method: str) -> Iterator[Hold]:
        """Keep calls to `method` ("response_url" for posts to a response_url) unanswered until
        `release()` or the end of the block, whichever comes first; nothing waits on a timer."""
        hold = Hold(method)
        self._holds[method] = hold
        try:
            yield hold
        finally:
            hold.release()
            if self._holds.get(method) is hold:
                del self._holds[method]

    async def _wait_if_held(self, method: str) -> None:
        hold = self._holds.get(method)
        if hold is not None and not hold.released.is_set():
            hold.arrived.set()
            await hold.released.wait()

    def reset(self) -> None:
        """Forget recorded calls, errors and injected failures (workspace state stays)."""
        self._calls.clear()
        self._errors.clear()
        self.injected.clear()
        self.file_host.downloads.clear()

    # ---- HTTP

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        now = time.monotonic()
        await self._wait_if_held(method)
        try:
            raw, token = await _read_args(request)
            args = decode_json_args(raw)
        except SlackRejection as rejection:
            return await self._reject(method, {}, rejection)
        fault = self._faults.pick(method)
        refused = self.channel_errors.get(str(args.get("channel")))
        if fault is None and refused and method in _CHANNEL_WRITES:
            fault = Fault(200, None, refused)
        if fault is not None:
            self.injected.append(InjectedFailure(method, fault, args, now))
            return await self._delayed(method, _fault_response(fault))
        try:
            check_call(method, args, has_token=token is not None)
            if method == "oauth.v2.access":
                body = self.installs.access(args, request.headers.get("Authorization", ""))
            else:
                body = self.installs.workspace_for(token).respond(method, args)
        except SlackRejection as rejection:
            return await self._reject(method, args, rejection)
        headers = dict(request.headers)
        await self._calls.add(RecordedCall(method, args, headers, now, token, request.path))
        return await self._delayed(method, web.json_response({"ok": True, **body}))

    async def _reject(
        self, method: str, args: dict[str, Any], rejection: SlackRejection
    ) -> web.StreamResponse:
        await self._errors.add(RejectedCall(method, args, rejection.error, rejection.reason))
        body = {"ok": False, "error": rejection.error, "fake_reason": rejection.reason}
        return await self._delayed(method, web.json_response(body))

    async def _delayed(self, method: str, response: web.StreamResponse) -> web.StreamResponse:
        seconds = self.latency.get(method, self.latency.get(None, 0.0))
        if seconds > 0:
            await asyncio.sleep(seconds)
        return response

    async def _handle_upload(self, request: web.Request) -> web.StreamResponse:
        upload = self.workspace.files.get(request.match_info["file_id"])
        if upload is None:
            return web.Response(status=404, text="unknown upload url")
        if request.content_type == "multipart/form-data":
            form = await request.post()
            parts = [v for v in form.values() if isinstance(v, web.FileField)]
            content = parts[0].file.read() if parts else b""
        else:
            content = await request.read()
        if len(content) != upload.length:
            reason = f"got {len(content)} bytes, files.getUploadURLExternal said {upload.length}"
            await self._errors.add(
                RejectedCall("upload", {"file_id": upload.id}, "bad_length", reason)
            )
            return web.Response(status=400, text=reason)
        upload.content, upload.uploaded = content, True
        return web.Response(text=f"OK - {len(content)}")

    async def _handle_response_url(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        await self._wait_if_held("response_url")
        fault = self._response_url_faults.pick("response_url")
        if fault is not None:
            # e.g. status=404: the response_url expired (30 minutes) or was used 5 times.
            self.injected.append(InjectedFailure("response_url", fault, body, time.monotonic()))
            return _fault_response(fault)
        problem = block_problem(body["blocks"], MAX_MESSAGE_BLOCKS) if "blocks" in body else None
        if problem is not None:
            await self._errors.add(RejectedCall("response_url", body, "invalid_blocks", problem))
            return web.Response(status=400, text="invalid_blocks")
        headers = dict(request.headers)
        call = RecordedCall("response_url", body, headers, time.monotonic(), path=request.path)
        await self._calls.add(call)
        return web.Response(text="ok")


async def _read_args(request: web.Request) -> tuple[dict[str, Any], str | None]:
    """Arguments from the query string and the JSON/form body, and the token wherever it came."""
    # slack_sdk sends `params=` arguments (files.*, users.info...) in the query string of a POST.
    args: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = await request.json() if request.can_read_body else {}
        if not isinstance(body, dict):
            raise SlackRejection("invalid_json", "the JSON body must be an object")
        args.update(body)
    elif request.can_read_body:
        form = await request.post()
        args.update({k: v for k, v in form.items() if isinstance(v, str)})
    token = args.pop("token", None)
    authorization = request.headers.get("Authorization", "")
    if authorization.startswith("Bearer ") and authorization[7:].strip():
        token = authorization[7:].strip()
    return {k: v for k, v in args.items() if v is not None}, token


_CHANNEL_WRITES = frozenset(
    {"chat.postMessage", "chat.update", "chat.postEphemeral", "chat.startStream"}
)


def _fault_response(fault: Fault) -> web.Response:
    if fault.error is not None:
        return web.json_response({"ok": False, "error": fault.error}, status=fault.status)
    if fault.status == 429:
        headers = {"Retry-After": str(int(fault.retry_after or 0))}
        return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers=headers)
    return web.Response(status=fault.status, text=f"fake Slack: injected HTTP {fault.status}")
