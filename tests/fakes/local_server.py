"""A local aiohttp server on 127.0.0.1 with a free port, usable as an async context manager."""

from __future__ import annotations

import socket
from types import TracebackType
from typing import Self

from aiohttp import web


class LocalServer:
    """Base class for the fakes: subclasses add their routes to `self.app` in `__init__`."""

    def __init__(self) -> None:
        # Block Kit payloads and file uploads can be large; Slack itself allows ~1 MB per call.
        self.app = web.Application(client_max_size=64 * 1024 * 1024)
        self.port = 0
        self._runner: web.AppRunner | None = None

    @property
    def origin(self) -> str:
        """`http://127.0.0.1:PORT` once started."""
        if self._runner is None:
            raise RuntimeError(f"{type(self).__name__} is not started; use `async with`")
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> Self:
        """Bind a free port and start serving."""
        if self._runner is not None:
            return self
        # Binding our own socket to port 0 gives a free port without a race or private attributes.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        await web.SockSite(runner, sock).start()
        self._runner = runner
        await self._on_started()
        return self

    async def _on_started(self) -> None:
        """Hook for subclasses that need the running loop (conditions, locks)."""

    async def stop(self) -> None:
        """Stop serving; idempotent."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()
