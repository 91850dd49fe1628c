"""A fake OpenAI-compatible server: scripted chat completions and deterministic embeddings.

async with FakeLLM() as llm:
    client = AsyncOpenAI(base_url=llm.base_url, api_key="test")
    llm.reply_with('{"answer": "42"}')
    ...
    [call] = await llm.wait_for_chat()
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from tests.fakes.faults import Fault, FaultInjector, InjectedFailure
from tests.fakes.llm_embeddings import (
    DEFAULT_DIM,
    EmbeddingRequest,
    embed,
    encode,
    normalise_input,
)
from tests.fakes.llm_replies import ChatRequest, count_tokens, default_reply
from tests.fakes.local_server import LocalServer
from tests.fakes.recorder import Recorder

__all__ = ["ChatRequest", "EmbeddingRequest", "FakeLLM", "InjectedFailure", "Responder"]

Responder = Callable[[ChatRequest], str | Awaitable[str]]
CHAT, EMBEDDINGS = "chat.completions", "embeddings"


def _describe_chat(call: ChatRequest) -> str:
    return f"{call.model}: {call.last_user_message[:200]!r}"


class FakeLLM(LocalServer):
    """OpenAI's /v1 API on 127.0.0.1; use `AsyncOpenAI(base_url=llm.base_url, api_key="test")`."""

    def __init__(
        self,
        *,
        dim: int = DEFAULT_DIM,
        latency: float = 0.0,
        first_token_latency: float | None = None,
        stream_chunk_chars: int | None = None,
    ) -> None:
        super().__init__()
        self.dim = dim
        # Seconds a chat completion takes: before the answer, or until a streamed answer's
        # last piece.
        self.latency = latency
        # Streamed answers only: seconds before the first piece, the rest of `latency` spread
        # evenly between the pieces. None: all of `latency` before the first piece, then the
        # pieces at once.
        self.first_token_latency = first_token_latency
        # Streamed answers come in pieces of this many characters (None: word by word), so a
        # test can put piece boundaries anywhere, inside escapes too.
        self.stream_chunk_chars = stream_chunk_chars
        self.embedding_latency = 0.0
        self.in_flight = 0  # chat completions being answered right now
        self.max_in_flight = 0
        self.injected: list[InjectedFailure] = []
        self._responder: Responder = default_reply
        self._chats: Recorder[ChatRequest] = Recorder(_describe_chat)
        self._embeddings: Recorder[EmbeddingRequest] = Recorder(lambda c: repr(c.inputs)[:200])
        # Chat requests whose client hung up before the answer (a cancelled model call).
        self._abandoned: Recorder[ChatRequest] = Recorder(_describe_chat)
        self._faults = FaultInjector()
        self._ids = itertools.count(1)
        self.app.router.add_post("/v1/chat/completions", self._handle_chat)
        self.app.router.add_post("/v1/embeddings", self._handle_embeddings)

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT/v1`."""
        return f"{self.origin}/v1"

    @property
    def chat_calls(self) -> list[ChatRequest]:
        """Every chat completion request, in arrival order (recorded before any latency)."""
        return self._chats.items

    @property
    def abandoned_calls(self) -> list[ChatRequest]:
        """Chat requests whose client disconnected while they waited for their answer."""
        return self._abandoned.items

    async def wait_for_abandoned(self, count: int = 1, timeout: float = 10) -> list[ChatRequest]:
        """The first `count` chat requests the client gave up on; AssertionError on timeout."""
        return await self._abandoned.wait_for(
            None, count=count, timeout=timeout, what="abandoned chat completion"
        )

    @property
    def embedding_calls(self) -> list[EmbeddingRequest]:
        """Every embeddings request, in arrival order."""
        return self._embeddings.items

    def reply_with(self, reply: str | Responder | None) -> None:
        """Answer chats with this text, or what `reply(request)` returns (sync or async);
        None restores the default answer that quotes the prompt (JSON when asked)."""
        if reply is None:
            self._responder = default_reply
        elif isinstance(reply, str):
            self._responder = lambda _request: reply
        else:
            self._responder = reply

    async def wait_for_chat(
        self,
        predicate: Callable[[ChatRequest], bool] | None = None,
        count: int = 1,
        timeout: float = 10,
    ) -> list[ChatRequest]:
        """The first `count` chat requests matching `predicate`; AssertionError on timeout."""
        return await self._chats.wait_for(
            predicate, count=count, timeout=timeout, what="chat completion"
        )

    async def wait_for_embeddings(
        self,
        predicate: Callable[[EmbeddingRequest], bool] | None = None,
        count: int = 1,
        timeout: float = 10,
    ) -> list[EmbeddingRequest]:
        """The first `count` embedding requests matching `predicate`; AssertionError on timeout."""
        return await self._embeddings.wait_for(
            predicate, count=count, timeout=timeout, what="embeddings request"
        )

    def embed(self, text: str) -> list[float]:
        """The vector this server returns for `text`."""
        return embed(text, self.dim)

    def inject(
        self,
        status: int = 500,
        times: int = 1,
        *,
        endpoint: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        """Fail the next `times` requests to `endpoint` ("chat.completions", "embeddings",
        None for both) with an OpenAI-style error. The openai client retries 429/5xx itself
        (max_retries=2 by default)."""
        self._faults.add(endpoint, Fault(status, retry_after), times)

    def fail_ratio(
        self, ratio: float, status: int = 500, seed: int = 0, *, endpoint: str | None = None
    ) -> None:
        """Fail a seeded-random `ratio` of requests until `clear_faults()`."""
        self._faults.add_ratio(endpoint, Fault(status), ratio, seed)

    def clear_faults(self) -> None:
        """Stop injecting failures."""
        self._faults.clear()

    def reset(self) -> None:
        """Forget recorded requests and failures; restore the default responder."""
        self._chats.clear()
        self._abandoned.clear()
        self._embeddings.clear()
        self.injected.clear()
        self._responder = default_reply
        self.max_in_flight = self.in_flight

    # ---- HTTP

    async def _read(self, request: web.Request, endpoint: str) -> dict[str, Any] | web.Response:
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return _error(401, "Missing bearer token", "invalid_request_error", "invalid_api_key")
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return _error(400, "The body is not valid JSON", "invalid_request_error")
        if not isinstance(body, dict) or not body.get("model"):
            return _error(400, "`model` is required", "invalid_request_error")
        fault = self._faults.pick(endpoint)
        if fault is not None:
            self.injected.append(InjectedFailure(endpoint, fault, body, time.monotonic()))
            return _fault_response(fault)
        return body

    async def _handle_chat(self, request: web.Request) -> web.StreamResponse:
        body = await self._read(request, CHAT)
        if isinstance(body, web.Response):
            return body
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return _error(400, "`messages` must be a non-empty array", "invalid_request_error")
        call = ChatRequest(
            model=str(body["model"]),
            messages=messages,
            response_format=body.get("response_format"),
            body=body,
            headers=dict(request.headers),
            at=time.monotonic(),
        )
        await self._chats.add(call)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        streamed = bool(body.get("stream"))
        first = self.first_token_latency if streamed else None
        wait = self.latency if first is None else min(first, self.latency)
        try:
            if wait > 0 and await _hung_up_within(request, wait):
                await self._abandoned.add(call)
                return web.Response(status=499, text="client closed the request")
            reply = self._responder(call)
            call.reply = await reply if inspect.isawaitable(reply) else reply
            return await self._completion(request, call, call.reply, self.latency - wait)
        finally:
            self.in_flight -= 1

    def _pieces(self, content: str) -> list[str]:
        size = self.stream_chunk_chars
        if size is not None and size > 0:
            return [content[i : i + size] for i in range(0, len(content), size)] or [""]
        words = content.split(" ")
        return [w if i == 0 else f" {w}" for i, w in enumerate(words)]

    async def _completion(
        self, request: web.Request, call: ChatRequest, content: str, spread: float = 0.0
    ) -> web.StreamResponse:
        prompt_tokens = count_tokens(call.prompt)
        completion_tokens = count_tokens(content)
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
        head = {
            "id": f"chatcmpl-fake{next(self._ids):06d}",
            "created": int(time.time()),
            "model": call.model,
            "system_fingerprint": "fp_fake",
        }
        if not call.body.get("stream"):
            message = {"role": "assistant", "content": content, "refusal": None}
            choice = {"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}
            return web.json_response(
                {**head, "object": "chat.completion", "choices": [choice], "usage": usage}
            )
        # Server-sent events, as the openai client reads them with stream=True.
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        chunk = {**head, "object": "chat.completion.chunk"}
        pieces = self._pieces(content)
        pause = max(0.0, spread) / max(1, len(pieces) - 1)
        deltas: list[dict[str, Any]] = [{"role": "assistant", "content": ""}]
        deltas += [{"content": piece} for piece in pieces]
        try:
            for i, delta in enumerate(deltas):
                if i > 1 and pause > 0 and await _hung_up_within(request, pause):
                    raise ConnectionResetError("the client hung up mid-stream")
                choice = {"index": 0, "delta": delta, "finish_reason": None}
                await response.write(_sse({**chunk, "choices": [choice]}))
                call.streamed += delta["content"]
                call.piece_times.append((time.monotonic(), len(call.streamed)))
            last = {"index": 0, "delta": {}, "finish_reason": "stop"}
            await response.write(_sse({**chunk, "choices": [last]}))
            if (call.body.get("stream_options") or {}).get("include_usage"):
                await response.write(_sse({**chunk, "choices": [], "usage": usage}))
            await response.write(b"data: [DONE]\n\n")
            await response.write_eof()
        except ConnectionError:
            # The client went away mid-stream (a test killed it, or the bot cancelled the
            # answer): nothing more to send.
            await self._abandoned.add(call)
        return response

    async def _handle_embeddings(self, request: web.Request) -> web.StreamResponse:
        body = await self._read(request, EMBEDDINGS)
        if isinstance(body, web.Response):
            return body
        try:
            inputs = normalise_input(body.get("input"))
        except ValueError as error:
            return _error(400, str(error), "invalid_request_error")
        if not inputs:
            return _error(400, "`input` must not be empty", "invalid_request_error")
        call = EmbeddingRequest(
            str(body["model"]), inputs, body, dict(request.headers), time.monotonic()
        )
        await self._embeddings.add(call)
        if self.embedding_latency > 0:
            await asyncio.sleep(self.embedding_latency)
        dim = int(body.get("dimensions") or self.dim)
        encoding = str(body.get("encoding_format") or "float")
        data = [
            {"object": "embedding", "index": i, "embedding": encode(embed(text, dim), encoding)}
            for i, text in enumerate(inputs)
        ]
        tokens = sum(count_tokens(text) for text in inputs)
        usage = {"prompt_tokens": tokens, "total_tokens": tokens}
        return web.json_response(
            {"object": "list", "data": data, "model": call.model, "usage": usage}
        )


async def _hung_up_within(request: web.Request, seconds: float) -> bool:
    """Wait `seconds`, or less if the client disconnects first; True when it did.

    aiohttp keeps running a handler whose client went away, so the connection is watched."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        transport = request.transport
        if transport is None or transport.is_closing():
            return True
        await asyncio.sleep(min(0.01, max(0.0, deadline - loop.time())))
    return False


def _sse(payload: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(payload)}\n\n".encode()


def _error(status: int, message: str, kind: str, code: str | None = None) -> web.Response:
    body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return web.json_response(body, status=status)


def _fault_response(fault: Fault) -> web.Response:
    if fault.status != 429:
        return _error(fault.status, "Injected server error", "server_error")
    response = _error(429, "Rate limit reached", "requests", "rate_limit_exceeded")
    if fault.retry_after is not None:
        # retry-after-ms lets the openai client wait less than a second.
        response.headers["retry-after-ms"] = str(int(fault.retry_after * 1000))
        response.headers["retry-after"] = str(max(1, round(fault.retry_after)))
    return response
