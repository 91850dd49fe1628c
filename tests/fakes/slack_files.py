"""The fake Slack's file host: files people share, served as files.slack.com serves them.

A file's ``url_private`` and ``url_private_download`` answer only ``Authorization: Bearer
<bot token>``; without it (or with another token) Slack answers 200 with its HTML sign-in page,
and so does this fake. Bodies are streamed in chunks, and each download is recorded with the
bytes actually sent and whether the client read to the end, so a test can tell that a client
stopped early.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from aiohttp import web

from tests.fakes.recorder import Recorder
from tests.fakes.slack_objects import Args, UploadedFile
from tests.fakes.slack_workspace import Workspace

CHUNK_BYTES = 64 * 1024
SIGN_IN_PAGE = b"<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in</body></html>"


@dataclass(frozen=True)
class FileDownload:
    """One GET of a hosted file."""

    file_id: str
    authorization: str | None
    status: int
    bytes_sent: int
    completed: bool  # the whole body was written (False: the client went away first)
    at: float


class FileHost:
    """Serves the workspace's files at ``/files/...`` and ``/files-pri/...`` of the fake."""

    def __init__(self, workspace: Workspace, app: web.Application, bot_token: str) -> None:
        self.workspace = workspace
        self.bot_token = bot_token
        self.downloads: Recorder[FileDownload] = Recorder(repr)
        # file id -> where its download redirects instead of serving it.
        self.redirects: dict[str, str] = {}
        app.router.add_get("/files/{file_id}/{name}", self._handle)
        app.router.add_get("/files-pri/{team_file}/download/{name}", self._handle)
        app.router.add_get("/files-pri/{team_file}/{name}", self._handle)

    def host(
        self,
        name: str,
        content: bytes,
        *,
        user: str,
        mimetype: str | None = None,
        filetype: str | None = None,
        mode: str = "hosted",
    ) -> Args:
        """A file a person shared; returns its object as a ``file_share`` event carries it."""
        file_id = self.workspace.new_file_id()
        upload = UploadedFile(
            id=file_id,
            filename=name,
            length=len(content),
            content=content,
            uploaded=True,
            completed=True,
            owner=user,
            mimetype=mimetype,
            filetype=filetype,
            mode=mode,
        )
        self.workspace.files[file_id] = upload
        return self.workspace.file_object(upload)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        file_id = request.match_info.get("file_id") or request.match_info["team_file"]
        file_id = file_id.rsplit("-", 1)[-1]
        authorization = request.headers.get("Authorization")
        upload = self.workspace.files.get(file_id)
        if upload is None:
            return await self._record(file_id, authorization, web.Response(status=404), 0)
        if authorization != f"Bearer {self.bot_token}":
            page = web.Response(body=SIGN_IN_PAGE, content_type="text/html")
            return await self._record(file_id, authorization, page, 0)
        if file_id in self.redirects:
            moved = web.Response(status=302, headers={"Location": self.redirects[file_id]})
            return await self._record(file_id, authorization, moved, 0)
        return await self._stream(request, upload, authorization)

    async def _stream(
        self, request: web.Request, upload: UploadedFile, authorization: str | None
    ) -> web.StreamResponse:
        # No Content-Length: the client cannot tell the size in advance and must count itself.
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        sent, completed = 0, False
        try:
            for start in range(0, len(upload.content), CHUNK_BYTES):
                chunk = upload.content[start : start + CHUNK_BYTES]
                await response.write(chunk)
                sent += len(chunk)
            await response.write_eof()
            completed = True
        except (ConnectionError, RuntimeError):
            pass  # the client closed the connection
        await self.downloads.add(
            FileDownload(upload.id, authorization, 200, sent, completed, time.monotonic())
        )
        return response

    async def _record(
        self, file_id: str, authorization: str | None, response: web.Response, sent: int
    ) -> web.Response:
        download = FileDownload(
            file_id, authorization, response.status, sent, True, time.monotonic()
        )
        await self.downloads.add(download)
        return response
