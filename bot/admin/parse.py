"""A small typed parser for ``/coach`` text: mentions, course slugs, quoted words, key=value."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.errors import UsageError

# Slack escapes mentions in slash commands (should_escape: true) as <@U123|name> or <@U123>.
_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_RAW_USER_ID = re.compile(r"^[UW][A-Z0-9]{6,}$")
# ...and channels as <#C123|name> (the name may be empty) or <#C123>.
_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")
_RAW_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{6,}$")
_TOKEN = re.compile(r'([A-Za-z_]+)=("[^"]*"|\S+)|"([^"]*)"|(\S+)')
_TICKET = re.compile(r"^(?:ESC-?)?(\d{1,9})$", re.IGNORECASE)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# Slack clients may turn straight quotes into typographic ones on the way in.
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"'})


@dataclass(frozen=True)
class CommandArgs:
    """``/coach`` text split into a verb, positional words, mentioned users and options."""

    verb: str
    words: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    options: dict[str, str] = field(default_factory=dict)
    text: str = ""

    def word(self, index: int, usage: str) -> str:
        """The positional word at ``index``, or a UsageError showing ``usage``."""
        if index >= len(self.words):
            raise UsageError(f"Usage: `{usage}`")
        return self.words[index]

    def optional_word(self, index: int) -> str | None:
        """The positional word at ``index`` if there is one."""
        return self.words[index] if index < len(self.words) else None

    def user(self, index: int, usage: str) -> str:
        """The ``index``-th mentioned user, or a UsageError showing ``usage``."""
        if index >= len(self.users):
            raise UsageError(f"Please mention the person, e.g. `{usage}`.")
        return self.users[index]

    def option(self, name: str) -> str | None:
        """The value of ``name=value`` if given."""
        return self.options.get(name)

    def only(self, allowed: set[str], usage: str) -> None:
        """Refuse options other than ``allowed`` so typos are not silently ignored."""
        unknown = sorted(set(self.options) - allowed)
        if unknown:
            raise UsageError(f"I don't know the option `{unknown[0]}`. Usage: `{usage}`")


def parse_command(text: str) -> CommandArgs:
    """Split ``/coach`` text; an empty text means ``help``."""
    cleaned = text.translate(_QUOTES).strip()
    words: list[str] = []
    users: list[str] = []
    options: dict[str, str] = {}
    for match in _TOKEN.finditer(cleaned):
        key, value, quoted, bare = match.groups()
        if key is not None:
            options[key.lower()] = value.strip('"').strip()
        elif quoted is not None:
            words.append(quoted.strip())
        else:
            user = mention_id(bare)
            if user is not None:
                users.append(user)
            elif bare.startswith("@"):
                raise UsageError(
                    f"I couldn't tell who `{bare}` is. Pick the person from Slack's @-suggestions "
                    "so the mention becomes a link."
                )
            else:
                words.append(bare)
    if not words:
        return CommandArgs(verb="help", users=tuple(users), options=options, text=cleaned)
    return CommandArgs(
        verb=words[0].lower(),
        words=tuple(words[1:]),
        users=tuple(users),
        options=options,
        text=cleaned,
    )


def mention_id(token: str) -> str | None:
    """The user id in ``<@U123|name>``, ``<@U123>`` or a bare ``U123ABC``; None otherwise."""
    found = _MENTION.match(token)
    if found:
        return found.group(1)
    return token if _RAW_USER_ID.match(token) else None


def parse_channel(word: str) -> str:
    """The channel id in ``<#C123|name>``, ``<#C123>`` or a bare ``C123ABC``."""
    found = _CHANNEL.match(word.strip())
    if found:
        return found.group(1)
    if _RAW_CHANNEL_ID.match(word.strip()):
        return word.strip()
    raise UsageError(
        f"I couldn't tell which channel `{word}` is. Pick the channel from Slack's #-suggestions "
        "so it becomes a link, e.g. `/coach channel #trainers`."
    )


def parse_ticket(word: str) -> int:
    """A ticket number from ``1001``, ``ESC-1001`` or ``esc1001``."""
    found = _TICKET.match(word.strip())
    if not found:
        raise UsageError(f"`{word}` is not a ticket number; use e.g. `ESC-1001` or `1001`.")
    return int(found.group(1))


def parse_slug(word: str) -> str:
    """A course slug in lower case, checked for shape."""
    slug = word.strip().lower()
    if not _SLUG.match(slug):
        raise UsageError(f"`{word}` is not a course slug (letters, digits, - and _).")
    return slug


def parse_days(word: str | None, default: int = 7) -> int:
    """A period in days between 1 and 366, e.g. ``30`` or ``30d``."""
    if word is None:
        return default
    raw = word.lower().removesuffix("d").removesuffix("days").removesuffix("day")
    if not raw.isdigit() or not 1 <= int(raw) <= 366:
        raise UsageError(f"`{word}` is not a period: give a number of days from 1 to 366.")
    return int(raw)


def parse_number(name: str, raw: str, low: float, high: float) -> float:
    """A number within ``[low, high]`` or a friendly UsageError naming the setting."""
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"`{name}` must be a number, not `{raw}`.") from None
    if not low <= value <= high:
        raise UsageError(f"`{name}` must be between {low:g} and {high:g}; you gave {value:g}.")
    return value
