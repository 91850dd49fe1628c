"""Real ``coachbot serve`` subprocesses for tests that kill or restart a process."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from types import TracebackType
from typing import Self

import aiohttp

from tests.fakes.llm import FakeLLM
from tests.fakes.slack_api import FakeSlack
from tests.harness import SIGNING_SECRET

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServeProcess:
    """One ``coachbot serve`` in HTTP mode, pointed at the fakes and a shared database."""

    def __init__(
        self,
        database_url: str,
        slack: FakeSlack,
        llm: FakeLLM,
        data_dir: Path,
        *,
        env: dict[str, str] | None = None,
    ) -> None:
        self.port = _free_port()
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": os.environ.get("HOME", "/tmp"),
            "DATABASE_URL": database_url,
            "DATA_DIR": str(data_dir),
            "SLACK_BOT_TOKEN": "xoxb-test-token",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.base_url,
            "OPENAI_API_KEY": "test",
            "OPENAI_BASE_URL": llm.base_url,
            "CHAT_MODEL": "fake-chat",
            "EMBEDDING_BACKEND": "openai",
            "EMBEDDING_MODEL": "fake-embedding",
            "TRAINER_CHANNEL_ID": "C0TRAINERS",
            "ADMIN_USER_IDS": "UADMIN",
            "PORT": str(self.port),
        } | (env or {})
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = data_dir / f"serve-{self.port}.log"

    @property
    def url(self) -> str:
        """Slack's request URL on this process."""
        return f"http://127.0.0.1:{self.port}/slack/events"

    async def start(self, timeout: float = 60) -> Self:
        """Start the process and wait until it reports ready."""
        with self.log.open("ab") as out:
            # Popen only forks; the wait for readiness below is async.
            self.proc = subprocess.Popen(  # noqa: ASYNC220
                [str(Path(sys.executable).parent / "coachbot"), "serve", "--host", "127.0.0.1"],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = asyncio.get_running_loop().time() + timeout
        async with aiohttp.ClientSession() as http:
            while True:
                if self.proc.poll() is not None:
                    raise AssertionError(f"coachbot serve exited:\n{self.log.read_text()[-3000:]}")
                try:
                    async with http.get(f"http://127.0.0.1:{self.port}/readyz") as resp:
                        if resp.status == 200:
                            return self
                except aiohttp.ClientError:
                    pass
                if asyncio.get_running_loop().time() > deadline:
                    raise AssertionError(f"not ready:\n{self.log.read_text()[-3000:]}")
                await asyncio.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs at all."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    async def terminate(self, timeout: float = 60) -> None:
        """SIGTERM and wait, without blocking the event loop: the graceful path.

        A process still running after ``timeout`` seconds is killed, and the test fails.
        """
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        deadline = asyncio.get_running_loop().time() + timeout
        while self.proc.poll() is None:
            if asyncio.get_running_loop().time() > deadline:
                self.kill()
                raise AssertionError(
                    f"coachbot serve ignored SIGTERM for {timeout:g} s and was killed:\n"
                    f"{self.log.read_text()[-3000:]}"
                )
            await asyncio.sleep(0.05)

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.terminate()
