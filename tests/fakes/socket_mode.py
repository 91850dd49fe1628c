"""A stand-in for Slack's Socket Mode server: a local WebSocket that sends envelopes, takes acks.

async with FakeSocketMode() as socket, FakeSlack() as slack:
    slack.workspace.socket_url = socket.ws_url   # what apps.connections.open answers
    ... the bot connects; socket.wait_connected(), then
    await socket.send_envelope(envelope); [ack] = await socket.wait_for_ack(envelope_id)

Frames are Slack's own (tests/slack_reference/payloads/socket-mode/): every connection starts with
`hello`; `disconnect()` sends the `disconnect` frame Slack sends before it closes a socket.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.local_server import LocalServer
from tests.fakes.recorder import Recorder

FRAMES = Path(__file__).parent.parent / "slack_reference" / "payloads" / "socket-mode"


def reference_frame(name: str) -> dict[str, Any]:
    """One of Slack's recorded frames, e.g. ``socket_mode_hello_message``."""
    frame: dict[str, Any] = json.loads((FRAMES / f"{name}.json").read_text())
    return frame


class FakeSocketMode(LocalServer):
    """Serves ``/link``; each accepted connection gets ``hello`` and then whatever tests send."""

    def __init__(self) -> None:
        super().__init__()
        self.acks: Recorder[dict[str, Any]] = Recorder(lambda ack: json.dumps(ack)[:200])
        self.connections: Recorder[int] = Recorder(str)
        self.open = asyncio.Event()  # cleared: new connections wait (Slack unreachable)
        self.open.set()
        self._current: web.WebSocketResponse | None = None
        self.app.router.add_get("/link", self._handle)

    @property
    def ws_url(self) -> str:
        """The URL apps.connections.open should answer."""
        return self.origin.replace("http://", "ws://") + "/link"

    async def _handle(self, request: web.Request) -> web.WebSocketResponse:
        await self.open.wait()
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._current = ws
        await ws.send_json(reference_frame("socket_mode_hello_message"))
        await self.connections.add(len(self.connections.items) + 1)
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                await self.acks.add(json.loads(message.data))
        return ws

    async def wait_connected(self, count: int = 1, timeout: float = 20.0) -> None:
        """Wait until ``count`` connections have been made in all."""
        await self.connections.wait_for(None, count=count, timeout=timeout, what="connection")

    async def send_envelope(self, envelope: dict[str, Any]) -> None:
        """Send an envelope on the current connection."""
        if self._current is None or self._current.closed:
            raise AssertionError("no Socket Mode connection to send on")
        await self._current.send_json(envelope)

    async def wait_for_ack(self, envelope_id: str, timeout: float = 20.0) -> dict[str, Any]:
        """The ack the app sent for ``envelope_id``."""
        [ack] = await self.acks.wait_for(
            lambda a: a["envelope_id"] == envelope_id, count=1, timeout=timeout, what=envelope_id
        )
        return ack

    async def disconnect(self) -> None:
        """Send Slack's ``disconnect`` frame on the current connection, as before a refresh."""
        await self.send_envelope(reference_frame("socket_mode_disconnect_message"))

    async def drop(self) -> None:
        """Close the current connection from the server side."""
        if self._current is not None:
            await self._current.close()
