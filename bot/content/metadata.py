"""Read and validate course.yml, _day.yml and Markdown front matter."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from bot.content.coaching import mode_list, parse_mode
from bot.errors import ContentError

COURSE_FILES = ("course.yml", "course.yaml")
DAY_FILES = ("_day.yml", "_day.yaml")
FILE_TYPES = ("chapter", "lab")


@dataclass(frozen=True)
class CourseMeta:
    """What course.yml says about the course as a whole."""

    title: str | None = None
    slug: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class FileMeta:
    """The validated front matter of one Markdown file; None means "not given"."""

    title: str | None = None
    day: int | None = None
    day_title: str | None = None
    chapter: str | None = None
    lab: str | None = None
    type: str | None = None
    order: float | None = None
    coaching: str | None = None  # a CoachingMode value


@dataclass(frozen=True)
class DayMeta:
    """What a day folder's _day.yml says: its title and the coaching mode of its labs."""

    title: str | None = None
    coaching: str | None = None


def read_course_meta(root: Path) -> CourseMeta:
    """Read course.yml (or course.yaml) at the course root; absent means all defaults."""
    for name in COURSE_FILES:
        path = root / name
        if path.is_file():
            data = _load_yaml_file(path, name)
            return CourseMeta(
                title=_text(data, "title", name),
                slug=_text(data, "slug", name),
                description=_text(data, "description", name),
            )
    return CourseMeta()


def read_day_meta(folder: Path, relative: str) -> DayMeta:
    """The ``day_title`` (or ``title``) and ``coaching`` of a day folder's _day.yml, if any."""
    for name in DAY_FILES:
        path = folder / name
        if path.is_file():
            label = f"{relative}/{name}" if relative else name
            data = _load_yaml_file(path, label)
            return DayMeta(
                title=_text(data, "day_title", label) or _text(data, "title", label),
                coaching=_coaching(data, label),
            )
    return DayMeta()


def split_front_matter(text: str, name: str) -> tuple[FileMeta, str]:
    """Separate and validate a Markdown file's YAML front matter; return it and the body."""
    handler = YAMLHandler()
    if not handler.detect(text):
        return FileMeta(), text
    try:
        raw, body = handler.split(text)
    except ValueError:
        # No closing "---": the file merely starts with a horizontal rule.
        return FileMeta(), text
    try:
        data = handler.load(raw)
    except yaml.YAMLError as error:
        raise ContentError(
            f"{name}: the front matter is not valid YAML ({_where(error)})."
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ContentError(
            f"{name}: the front matter must be a list of `key: value` lines, "
            f"not a {type(data).__name__}."
        )
    kind = _text(data, "type", name)
    if kind is not None and kind.lower() not in FILE_TYPES:
        raise ContentError(f"{name}: front matter `type` must be chapter or lab, not {kind!r}.")
    meta = FileMeta(
        title=_text(data, "title", name),
        day=_whole_number(data, "day", name),
        day_title=_text(data, "day_title", name),
        chapter=_identifier(data, "chapter", name),
        lab=_identifier(data, "lab", name),
        type=kind.lower() if kind else None,
        order=_number(data, "order", name),
        coaching=_coaching(data, name),
    )
    return meta, body.lstrip("\n")


def _load_yaml_file(path: Path, name: str) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ContentError(f"{name} is not valid UTF-8 text.") from None
    except OSError as error:
        raise ContentError(f"Could not read {name} ({error.strerror or 'unreadable'}).") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ContentError(f"{name} is not valid YAML ({_where(error)}).") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ContentError(f"{name} must contain `key: value` lines, not a {type(data).__name__}.")
    return data


def _where(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or "could not parse"
    return f"line {mark.line + 1}: {problem}" if mark is not None else str(problem)


def _text(data: dict[str, Any], key: str, name: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ContentError(f"{name}: `{key}` must be text, not {value!r}.")
    return value.strip() or None


def _coaching(data: dict[str, Any], name: str) -> str | None:
    value = data.get("coaching")
    if value is None:
        return None
    mode = parse_mode(value) if isinstance(value, str) else None
    if mode is None:
        raise ContentError(f"{name}: `coaching` must be {mode_list()}, not {value!r}.")
    return mode.value


def _whole_number(data: dict[str, Any], key: str, name: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise ContentError(f"{name}: `{key}` must be a whole number such as `{key}: 2`, not {value!r}.")


def _number(data: dict[str, Any], key: str, name: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise ContentError(f"{name}: `{key}` must be a number, not {value!r}.")


def _identifier(data: dict[str, Any], key: str, name: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    # YAML reads `lab: 2.1` as a float; accept it, but "2.10" must be quoted to survive.
    if isinstance(value, int | float | str) and not isinstance(value, bool) and str(value).strip():
        return str(value).strip()
    raise ContentError(f'{name}: `{key}` must be an id such as `{key}: "2.1"`, not {value!r}.')
