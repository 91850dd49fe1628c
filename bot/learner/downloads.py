"""Downloading a shared file from Slack with the bot token, within a size and a time limit.

Slack serves a file's ``url_private_download`` only with ``Authorization: Bearer <bot token>``
(and the ``files:read`` scope). The token must never reach anyone else, so a URL is fetched
only when it lies under ``Settings.files_base_url`` (files.slack.com), redirects are followed
by hand and only within that same place, and anything else is refused before a byte is sent.
The body is read in chunks and the download stops as soon as it passes the limit, so a large
file costs at most the limit in memory and time; nothing is written to disk.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urljoin, urlsplit

import aiohttp

log = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024
MAX_REDIRECTS = 3


class Failure(StrEnum):
    """Why a file could not be downloaded."""

    TOO_BIG = "too_big"
    REFUSED = "refused"  # not a Slack file URL: never fetched with the token
    FAILED = "failed"  # Slack did not serve it (missing, no access, timeout, login page)


@dataclass(frozen=True)
class Download:
    """The file's bytes, or why there are none."""

    content: bytes = b""
    failure: Failure | None = None


def is_slack_file_url(url: str, base: str) -> bool:
    """True when ``url`` lies under ``base`` (same scheme, host and port, and path prefix)."""
    target, allowed = urlsplit(url), urlsplit(base)
    if target.scheme not in ("https", "http") or target.username or target.password:
        return False
    same_origin = (target.scheme, target.netloc.lower()) == (allowed.scheme, allowed.netloc.lower())
    return same_origin and target.path.startswith(allowed.path or "/")


class SlackFiles:
    """Fetches files from Slack's file host with one HTTP session (open it with ``async with``)."""

    def __init__(self, token: str, base_url: str, *, timeout_seconds: float) -> None:
        self._token = token
        self._base = base_url
        self._timeout = timeout_seconds
        self._http: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> SlackFiles:
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout))
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._http is not None:
            await self._http.close()

    async def fetch(self, url: str, limit: int, *, html_expected: bool = False) -> Download:
        """The file at ``url``, read up to ``limit`` bytes; a failure instead of raising."""
        try:
            async with asyncio.timeout(self._timeout):
                return await self._fetch(url, limit, html_expected)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            log.info("could not download a shared file: %s", type(exc).__name__)
            return Download(failure=Failure.FAILED)

    async def _fetch(self, url: str, limit: int, html_expected: bool) -> Download:
        assert self._http is not None, "use SlackFiles inside `async with`"
        headers = {"Authorization": f"Bearer {self._token}"}
        for _hop in range(MAX_REDIRECTS + 1):
            if not is_slack_file_url(url, self._base):
                log.warning("refused to fetch a file outside %s", self._base)
                return Download(failure=Failure.REFUSED)
            async with self._http.get(url, headers=headers, allow_redirects=False) as response:
                if response.status in (301, 302, 303, 307, 308):
                    url = urljoin(url, response.headers.get("Location", ""))
                    continue
                if response.status != 200:
                    log.info("Slack answered a file download with HTTP %d", response.status)
                    return Download(failure=Failure.FAILED)
                # Slack answers a download it will not serve with its HTML sign-in page.
                if response.content_type == "text/html" and not html_expected:
                    return Download(failure=Failure.FAILED)
                if (response.content_length or 0) > limit:
                    return Download(failure=Failure.TOO_BIG)
                return await _read_within(response, limit)
        return Download(failure=Failure.FAILED)


async def _read_within(response: aiohttp.ClientResponse, limit: int) -> Download:
    """The body, or TOO_BIG as soon as it passes ``limit`` (the rest is never read)."""
    received = bytearray()
    async for chunk in response.content.iter_chunked(CHUNK_BYTES):
        received += chunk
        if len(received) > limit:
            # Leaving the block closes the connection: the rest of the file is not downloaded.
            response.close()
            return Download(failure=Failure.TOO_BIG)
    return Download(content=bytes(received))
