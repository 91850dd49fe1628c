"""Load a course folder of Markdown files into located, hashed chunks."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from bot.content.chunking import ContentChunk, chunk_markdown
from bot.content.location import Location
from bot.content.markdown import document_title
from bot.content.metadata import (
    DayMeta,
    FileMeta,
    read_course_meta,
    read_day_meta,
    split_front_matter,
)
from bot.errors import ContentError

log = logging.getLogger(__name__)

MARKDOWN_SUFFIXES = (".md", ".markdown")
# No Markdown chapter is this big; a bigger file is a mistake (a dump, a binary renamed .md).
MAX_FILE_BYTES = 1024 * 1024
# Repository paperwork that sits next to a course but is not course text.
SKIPPED_STEMS = frozenset({"license", "licence", "copying", "changelog"})

_DAY_FOLDER = re.compile(r"^day[\s_-]*0*(\d+)(?![\d.])[\s_\-.:–—]*(.*)$", re.IGNORECASE)
_LAB_NAME = re.compile(r"^lab[\s_-]*(\d+(?:\.\d+)*)?(?:[\s_\-.:]+(.*))?$", re.IGNORECASE)
_NUMBERED = re.compile(r"^(\d+)(?:[\s_\-.]+(.*))?$")
_LAB_PREFIX = re.compile(r"^lab\b[\s\d.]*[:—–-]*\s*", re.IGNORECASE)


@dataclass(frozen=True)
class CourseContent:
    """Everything a course folder holds, in reading order."""

    title: str
    slug: str | None
    description: str | None
    chunks: list[ContentChunk]
    files: list[str]
    # Files left out, each with the reason ("day1/notes.md: links outside the course folder").
    skipped: list[str] = field(default_factory=list)

    def days(self) -> list[int]:
        """The day numbers that have content, ascending."""
        return sorted({c.location.day for c in self.chunks if c.location.day is not None})

    def lab_ids(self) -> list[str]:
        """The ids of every lab, in reading order."""
        return list(dict.fromkeys(c.location.lab_id for c in self.chunks if c.location.lab_id))


@dataclass(frozen=True)
class _Document:
    relative: str
    meta: FileMeta
    body: str
    folder_day: int | None
    folder_day_title: str | None
    day_folder: str | None
    in_labs_folder: bool


def load_course(
    path: Path,
    *,
    max_chars: int = 1800,
    overlap_chars: int = 200,
    max_file_bytes: int = MAX_FILE_BYTES,
) -> CourseContent:
    """Read a course folder; raise ContentError with a friendly message if anything is wrong.

    Only files inside the folder are read: a symlink leading out of it is skipped with a warning
    (listed in ``skipped``). A file over ``max_file_bytes`` is refused, by name.
    """
    if not path.exists():
        raise ContentError(f"Course folder not found: {path}")
    if not path.is_dir():
        raise ContentError(f"{path} is a file, not a course folder.")
    root = path.resolve()
    course = read_course_meta(root)
    skipped: list[str] = []
    documents = [_read(root, file, max_file_bytes) for file in _markdown_files(root, skipped)]
    if not documents:
        raise ContentError(f"{path} is an empty course: it has no Markdown (.md) files.")
    day_metas = {
        doc.day_folder: read_day_meta(root / doc.day_folder, doc.day_folder)
        for doc in documents
        if doc.day_folder is not None
    }
    placed = [(doc, _locate(doc, documents, day_metas)) for doc in documents]
    placed = _number_labs(placed)
    _check_unique(placed)
    placed.sort(key=lambda item: _reading_order(item[0], item[1]))
    chunks = [
        chunk
        for doc, location in placed
        for chunk in chunk_markdown(
            doc.body,
            source_path=doc.relative,
            location=location,
            max_chars=max_chars,
            overlap_chars=overlap_chars,
        )
    ]
    if not chunks:
        raise ContentError(f"{path} is an empty course: its Markdown files have no text.")
    return CourseContent(
        title=course.title or _humanise(root.name),
        slug=course.slug,
        description=course.description,
        chunks=chunks,
        files=[doc.relative for doc, _ in placed],
        skipped=skipped,
    )


def _markdown_files(root: Path, skipped: list[str]) -> list[Path]:
    files: list[Path] = []
    for file in sorted(root.rglob("*")):
        relative = file.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if file.suffix.lower() not in MARKDOWN_SUFFIXES or file.stem.lower() in SKIPPED_STEMS:
            continue
        if not file.resolve().is_relative_to(root):
            reason = f"{relative.as_posix()}: links outside the course folder, not read"
            log.warning("Skipped %s", reason)
            skipped.append(reason)
            continue
        if file.is_file():
            files.append(file)
    return files


def _read(root: Path, file: Path, max_file_bytes: int) -> _Document:
    relative = file.relative_to(root).as_posix()
    try:
        size = file.stat().st_size
        if size > max_file_bytes:
            raise ContentError(
                f"{relative} is {size} bytes, over the {max_file_bytes}-byte limit for one course "
                "file (INGEST_MAX_FILE_BYTES). Split it into smaller files or raise the limit."
            )
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContentError(
            f"{relative} is not valid UTF-8 text (bad byte at position {error.start}). "
            "Save it as UTF-8 and try again."
        ) from None
    except OSError as error:
        reason = error.strerror or "unreadable"
        raise ContentError(f"Could not read {relative} ({reason}).") from None
    meta, body = split_front_matter(text, relative)
    folders = PurePosixPath(relative).parts[:-1]
    day, day_title, day_folder = None, None, None
    for index, folder in enumerate(folders):
        # The innermost day-like folder wins, so "day-2/labs/" still belongs to day 2.
        match = _DAY_FOLDER.match(folder)
        if match:
            day, day_title = int(match.group(1)), _humanise(match.group(2)) or None
            day_folder = "/".join(folders[: index + 1])
    return _Document(
        relative=relative,
        meta=meta,
        body=body,
        folder_day=day,
        folder_day_title=day_title,
        day_folder=day_folder,
        in_labs_folder=any(folder.lower() == "labs" for folder in folders),
    )


def _day_of(doc: _Document) -> int | None:
    return doc.meta.day if doc.meta.day is not None else doc.folder_day


def _locate(doc: _Document, documents: list[_Document], day_metas: dict[str, DayMeta]) -> Location:
    day = _day_of(doc)
    stem = PurePosixPath(doc.relative).stem
    lab_name = _LAB_NAME.match(stem)
    numbered = _NUMBERED.match(stem)
    is_lab = doc.meta.lab is not None or (
        doc.meta.type == "lab" if doc.meta.type else (lab_name is not None or doc.in_labs_folder)
    )
    number = (lab_name.group(1) if lab_name else None) or (numbered.group(1) if numbered else None)
    name_rest = (lab_name.group(2) if lab_name else None) or (
        numbered.group(2) if numbered else None
    )
    title = doc.meta.title or document_title(doc.body) or _humanise(name_rest or stem)
    folder_titles = {folder: meta.title for folder, meta in day_metas.items()}
    day_title = _day_title(doc, day, documents, folder_titles)
    if is_lab:
        # A lab's own front matter, then its day folder's _day.yml; else the course's mode.
        day_meta = day_metas.get(doc.day_folder) if doc.day_folder is not None else None
        return Location(
            day=day,
            day_title=day_title,
            lab_id=doc.meta.lab or (_qualified(number, day) if number else None),
            lab_title=_LAB_PREFIX.sub("", title).strip() or title,
            coaching=doc.meta.coaching or (day_meta.coaching if day_meta else None),
        )
    chapter_id = doc.meta.chapter or (
        _qualified(numbered.group(1), day) if numbered and not lab_name else None
    )
    return Location(day=day, day_title=day_title, chapter_id=chapter_id, chapter_title=title)


def _day_title(
    doc: _Document,
    day: int | None,
    documents: list[_Document],
    folder_titles: dict[str, str | None],
) -> str | None:
    """Own front matter, then _day.yml, then a sibling's front matter, then the folder name."""
    if day is None:
        return None
    if doc.meta.day_title:
        return doc.meta.day_title
    same_day = [other for other in documents if _day_of(other) == day]
    for other in same_day:
        if other.day_folder is not None and folder_titles.get(other.day_folder):
            return folder_titles[other.day_folder]
    for other in same_day:
        if other.meta.day_title:
            return other.meta.day_title
    return next((other.folder_day_title for other in same_day if other.folder_day_title), None)


def _qualified(number: str, day: int | None) -> str:
    """A file number as an id: "1" on day 2 becomes "2.1"; a dotted number is kept as is."""
    if "." in number:
        return number
    return f"{day}.{int(number)}" if day is not None else str(int(number))


def _number_labs(placed: list[tuple[_Document, Location]]) -> list[tuple[_Document, Location]]:
    """Give labs without a number the next free id of their day, in file order."""
    used = {location.lab_id for _, location in placed if location.lab_id}
    result: list[tuple[_Document, Location]] = []
    for doc, location in placed:
        if location.is_lab and location.lab_id is None:
            counter = 1
            while _qualified(str(counter), location.day) in used:
                counter += 1
            lab_id = _qualified(str(counter), location.day)
            used.add(lab_id)
            location = replace(location, lab_id=lab_id)
        result.append((doc, location))
    return result


def _check_unique(placed: list[tuple[_Document, Location]]) -> None:
    owners: dict[str, str] = {}
    for doc, location in placed:
        kind = "Lab" if location.is_lab else "Chapter"
        ident = location.lab_id if location.is_lab else location.chapter_id
        if ident is None:
            continue
        key = f"{kind} {ident}"
        if key in owners:
            raise ContentError(
                f"{key} is defined twice, in {owners[key]} and {doc.relative}. "
                "Renumber one of them or set `chapter:`/`lab:` in its front matter."
            )
        owners[key] = doc.relative


def _reading_order(doc: _Document, location: Location) -> tuple[object, ...]:
    """Undated files first, then by day; `order` first, chapters before labs, natural names."""
    natural = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", doc.relative.casefold())
    )
    order = doc.meta.order
    return (
        location.day is not None,
        location.day or 0,
        order is None,
        order or 0.0,
        location.is_lab,
        natural,
    )


def _humanise(name: str | None) -> str:
    """A file or folder name as a title: "control_flow-basics" becomes "Control flow basics"."""
    if not name:
        return ""
    text = re.sub(r"[\s_-]+", " ", name).strip()
    return text[:1].upper() + text[1:]
