"""Chat requests as the fake LLM sees them, and its default, context-quoting answers."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# Words that make a boolean field read as "something went wrong", answered False by default.
_NEGATIVE_FLAG = re.compile(r"escalat|human|trainer|handoff|refus|unsafe|off_topic|uncertain|need")


def count_tokens(text: str) -> int:
    """A rough token count (words and punctuation), good enough for `usage`."""
    return len(re.findall(r"\w+|[^\w\s]", text))


def content_text(content: object) -> str:
    """The text of a message `content`: a string or a list of content parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(
            str(part.get("text", "")) for part in content if isinstance(part, dict)
        ).strip()
    return ""


@dataclass
class ChatRequest:
    """One POST /v1/chat/completions; `reply` is filled in once the answer is chosen."""

    model: str
    messages: list[dict[str, Any]]
    response_format: dict[str, Any] | None
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    at: float = 0.0  # time.monotonic() on arrival
    reply: str | None = None
    streamed: str = ""  # what a streamed reply has sent so far
    # (time.monotonic(), len(streamed)) after each piece of a streamed reply was written
    piece_times: list[tuple[float, int]] = field(default_factory=list)

    def streamed_through(self, chars: int) -> float | None:
        """When the streamed reply had sent more than ``chars`` characters, if it did."""
        return next((at for at, sent in self.piece_times if sent > chars), None)

    @property
    def prompt(self) -> str:
        """Every message's text, one per paragraph."""
        return "\n\n".join(content_text(m.get("content")) for m in self.messages)

    @property
    def system(self) -> str:
        """The system (or developer) messages' text."""
        roles = ("system", "developer")
        return "\n\n".join(
            content_text(m.get("content")) for m in self.messages if m.get("role") in roles
        )

    @property
    def last_user_message(self) -> str:
        """The text of the last user message ("" if none)."""
        users = [m for m in self.messages if m.get("role") == "user"]
        return content_text(users[-1].get("content")) if users else ""

    @property
    def wants_json(self) -> bool:
        """True when response_format asks for json_object or json_schema."""
        kind = (self.response_format or {}).get("type")
        return kind in ("json_object", "json_schema")

    @property
    def json_schema(self) -> dict[str, Any] | None:
        """The JSON Schema of a `json_schema` response_format."""
        if (self.response_format or {}).get("type") != "json_schema":
            return None
        schema = (self.response_format or {}).get("json_schema", {}).get("schema")
        return schema if isinstance(schema, dict) else None


def best_quote(request: ChatRequest) -> str:
    """The sentence of the prompt that shares the most words with the user's question."""
    question = request.last_user_message
    terms = {w for w in _WORD.findall(question.lower()) if len(w) > 3}
    sentences = [
        s.strip()
        for s in _SENTENCE_END.split(request.prompt)
        if 20 <= len(s.strip()) <= 400 and "?" not in s
    ]
    if not sentences:
        return question.strip()[:300] or "I could not find this in the course material."

    def score(sentence: str) -> int:
        return len(terms & set(_WORD.findall(sentence.lower())))

    return max(sentences, key=score)  # max keeps the first of equal scores


def default_reply(request: ChatRequest) -> str:
    """A plausible answer quoting the prompt: JSON when response_format asks for it."""
    quote = best_quote(request)
    schema = request.json_schema
    if schema is not None:
        return json.dumps(fill_schema(schema, quote))
    if request.wants_json:
        answer = f'According to the course material: "{quote}"'
        return json.dumps({"answer": answer, "confidence": 0.9, "escalate": False, "quote": quote})
    return f'According to the course material: "{quote}"'


def fill_schema(schema: dict[str, Any], quote: str) -> Any:
    """A value valid against `schema` (as produced for OpenAI structured outputs)."""
    return _SchemaFiller(schema, quote).value(schema, "")


class _SchemaFiller:
    def __init__(self, root: dict[str, Any], quote: str) -> None:
        self.root = root
        self.quote = quote

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        ref = schema.get("$ref")
        while isinstance(ref, str) and ref.startswith("#/"):
            node: Any = self.root
            for part in ref[2:].split("/"):
                node = node[part]
            schema = {**node, **{k: v for k, v in schema.items() if k != "$ref"}}
            ref = node.get("$ref")
        return schema

    def value(self, schema: dict[str, Any], name: str) -> Any:
        schema = self.resolve(schema)
        if "const" in schema:
            return schema["const"]
        if schema.get("enum"):
            return schema["enum"][0]
        for key in ("anyOf", "oneOf", "allOf"):
            options = [self.resolve(o) for o in schema.get(key, [])]
            useful = [o for o in options if o.get("type") != "null"]
            if useful:
                return self.value(useful[0], name)
        kind = schema.get("type", "object" if "properties" in schema else "string")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        return self.typed(kind, schema, name)

    def typed(self, kind: str, schema: dict[str, Any], name: str) -> Any:
        lowered = name.lower()
        if kind == "object":
            props: dict[str, Any] = schema.get("properties", {})
            return {key: self.value(sub, key) for key, sub in props.items()}
        if kind == "array":
            size = max(1, int(schema.get("minItems", 1)))
            size = min(size, int(schema.get("maxItems", size)))
            return [self.value(schema.get("items", {}), name) for _ in range(size)]
        if kind in ("number", "integer"):
            guess = 0.9 if re.search(r"confidence|score|probab|certain", lowered) else 1
            low, high = schema.get("minimum", guess), schema.get("maximum", guess)
            number = min(max(guess, low), high)
            return int(number) if kind == "integer" else float(number)
        if kind == "boolean":
            return _NEGATIVE_FLAG.search(lowered) is None
        if kind == "null":
            return None
        text = self.quote
        if re.search(r"answer|reply|response|message", lowered):
            text = f'According to the course material: "{self.quote}"'
        text = text[: int(schema.get("maxLength", len(text)))]
        return text.ljust(int(schema.get("minLength", 0)), ".")
