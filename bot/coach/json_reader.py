"""Reading a JSON object as it arrives, piece by piece, from a streamed model reply.

``ObjectReader.feed(piece)`` takes the reply's next characters, cut anywhere (inside a key, an
escape, a ``\\uXXXX``, between the two halves of a surrogate pair), and returns what became known:

- ``Member(name, value)`` once a top-level member's value is complete (decoded with ``json``);
- ``ValueStarted(name)`` when the value of a streamed member begins;
- ``TextPiece(name, text)`` for the decoded characters of a streamed member's string value, as
  soon as they are certain (an escape is held back until it is whole).

Only the members named in ``streamed`` are decoded character by character; every other value is
kept raw until it ends and then parsed, so nested arrays and objects need no incremental parser.
Anything before the first ``{`` (a code fence some servers add) is skipped. The reader never
raises: a reply that is not JSON simply yields fewer events, and the caller parses the whole
reply at the end anyway (``bot.coach.llm_answerer.parse_model_reply``), which stays the truth.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum, auto

_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r"}
_SIMPLE_ESCAPES["t"] = "\t"


@dataclass(frozen=True)
class Member:
    """A top-level member whose value is complete."""

    name: str
    value: object


@dataclass(frozen=True)
class ValueStarted:
    """The value of a streamed member has begun."""

    name: str


@dataclass(frozen=True)
class TextPiece:
    """Decoded characters of a streamed member's string value."""

    name: str
    text: str


Event = Member | ValueStarted | TextPiece


class _At(Enum):
    BEFORE = auto()  # before the opening brace
    KEY_OR_END = auto()  # after "{" or ",": a key (or "}" for an empty object)
    KEY = auto()  # inside a key string
    COLON = auto()
    VALUE = auto()  # before a value
    RAW = auto()  # inside a value kept raw
    TEXT = auto()  # inside a streamed string value
    COMMA_OR_END = auto()
    DONE = auto()


class ObjectReader:
    """Incremental reader of one top-level JSON object (see the module docstring)."""

    def __init__(self, streamed: frozenset[str] = frozenset()) -> None:
        self._streamed = streamed
        self._at = _At.BEFORE
        self._key = ""
        self._key_raw: list[str] = []
        self._raw: list[str] = []
        self._depth = 0
        self._in_string = False
        self._escaped = False  # the previous raw character was a backslash inside a string
        self._escape = ""  # an unfinished escape of a streamed string ("\\", "\\u00", ...)
        self._high = ""  # a high surrogate waiting for its low half
        self.members: dict[str, object] = {}

    @property
    def done(self) -> bool:
        """True once the closing brace of the object was read."""
        return self._at is _At.DONE

    def feed(self, piece: str) -> list[Event]:
        """Read the next characters; the events they complete, in order."""
        events: list[Event] = []
        text: list[str] = []
        for char in piece:
            self._step(char, events, text)
        if text:
            events.append(TextPiece(self._key, "".join(text)))
        return events

    def _step(self, char: str, events: list[Event], text: list[str]) -> None:
        at = self._at
        if at is _At.TEXT:
            self._text_char(char, events, text)
        elif at is _At.RAW:
            self._raw_char(char, events)
        elif at is _At.KEY:
            self._key_char(char)
        elif char.isspace() or at is _At.DONE:
            return
        elif at is _At.BEFORE:
            if char == "{":
                self._at = _At.KEY_OR_END
        elif at is _At.KEY_OR_END:
            if char == '"':
                self._at, self._key_raw = _At.KEY, ['"']
            elif char == "}":
                self._at = _At.DONE
        elif at is _At.COLON:
            if char == ":":
                self._at = _At.VALUE
        elif at is _At.VALUE:
            self._value_start(char, events)
        elif at is _At.COMMA_OR_END:
            if char == ",":
                self._at = _At.KEY_OR_END
            elif char == "}":
                self._at = _At.DONE

    def _key_char(self, char: str) -> None:
        self._key_raw.append(char)
        if self._escaped:
            self._escaped = False
        elif char == "\\":
            self._escaped = True
        elif char == '"':
            self._key = _loads_str("".join(self._key_raw))
            self._at = _At.COLON

    def _value_start(self, char: str, events: list[Event]) -> None:
        if char == '"' and self._key in self._streamed:
            self._at, self._escape, self._high = _At.TEXT, "", ""
            self._raw = []
            events.append(ValueStarted(self._key))
            return
        self._at, self._raw, self._depth = _At.RAW, [], 0
        self._in_string, self._escaped = False, False
        self._raw_char(char, events)

    def _raw_char(self, char: str, events: list[Event]) -> None:
        if self._in_string:
            self._raw.append(char)
            if self._escaped:
                self._escaped = False
            elif char == "\\":
                self._escaped = True
            elif char == '"':
                self._in_string = False
                if self._depth == 0:
                    self._finish_raw(events)
            return
        if self._depth == 0 and (char in ",}" or char.isspace()):
            # A number, true, false or null ends at the first character that is not part of it.
            self._finish_raw(events)
            self._step(char, events, [])
            return
        self._raw.append(char)
        if char == '"':
            self._in_string = True
        elif char in "[{":
            self._depth += 1
        elif char in "]}":
            self._depth -= 1
            if self._depth == 0:
                self._finish_raw(events)

    def _finish_raw(self, events: list[Event]) -> None:
        try:
            value = json.loads("".join(self._raw))
        except json.JSONDecodeError:
            value = None
        self._raw = []
        self._finish_member(value, events)

    def _finish_member(self, value: object, events: list[Event]) -> None:
        self.members[self._key] = value
        events.append(Member(self._key, value))
        self._at = _At.COMMA_OR_END

    def _text_char(self, char: str, events: list[Event], text: list[str]) -> None:
        self._raw.append(char)
        if self._escape:
            self._escape += char
            decoded = self._decode_escape()
            if decoded is not None:
                self._escape = ""
                self._emit(decoded, text)
            return
        if char == "\\":
            self._escape = "\\"
        elif char == '"':
            if self._high:
                text.append("\ufffd")  # a lone high surrogate: what json.loads would refuse
                self._high = ""
            if text:
                events.append(TextPiece(self._key, "".join(text)))
                text.clear()
            self._finish_member(_loads_str('"' + "".join(self._raw)), events)
        else:
            self._emit(char, text)

    def _decode_escape(self) -> str | None:
        """The character(s) of a complete escape, or None while it is still incomplete."""
        escape = self._escape
        if escape[1] != "u":
            return _SIMPLE_ESCAPES.get(escape[1], escape[1])
        if len(escape) < 6:
            return None
        try:
            return chr(int(escape[2:6], 16))
        except ValueError:
            return "\ufffd"

    def _emit(self, char: str, text: list[str]) -> None:
        """Add a decoded character, pairing UTF-16 surrogates into one code point."""
        code = ord(char) if len(char) == 1 else 0
        if self._high:
            high, self._high = self._high, ""
            if 0xDC00 <= code <= 0xDFFF:
                text.append(chr(0x10000 + ((ord(high) - 0xD800) << 10) + (code - 0xDC00)))
                return
            text.append("\ufffd")
        if 0xD800 <= code <= 0xDBFF:
            self._high = char
        elif 0xDC00 <= code <= 0xDFFF:
            text.append("\ufffd")
        else:
            text.append(char)


def _loads_str(raw: str) -> str:
    """A complete JSON string literal, decoded; its raw text without quotes when malformed."""
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        return raw.strip('"')
    return value if isinstance(value, str) else raw
