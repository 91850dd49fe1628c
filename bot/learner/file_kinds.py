"""What kind of file a learner shared: text the coach reads, an image, or something else.

The kind is first guessed from what Slack says about the file (mimetype, filetype, the name's
extension), before anything is downloaded, so a PDF or a video is never fetched at all; then the
bytes must agree: text must decode as UTF-8 (a few bad bytes are replaced) and hold no NUL
bytes, and an image must start with its format's signature. Slack answers a download it
refuses with an HTML login page, which this check also turns away.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import PurePosixPath

from bot.inbox import SharedFile


class FileKind(StrEnum):
    """How the coach treats a shared file."""

    TEXT = "text"
    IMAGE = "image"
    OTHER = "other"


# Slack's filetype values for code and text (snippets get these too).
TEXT_FILETYPES = frozenset(
    {"text", "python", "javascript", "typescript", "json", "csv", "tsv", "markdown", "yaml"}
    | {"xml", "html", "css", "shell", "bash", "sql", "java", "c", "cpp", "csharp", "go", "rust"}
    | {"ruby", "php", "kotlin", "swift", "r", "diff", "ini", "toml", "dockerfile", "log"}
    | {"post", "space"}
)
TEXT_EXTENSIONS = frozenset(
    {".txt", ".py", ".pyi", ".ipynb", ".log", ".md", ".rst", ".json", ".csv", ".tsv", ".yaml"}
    | {".yml", ".toml", ".ini", ".cfg", ".xml", ".html", ".css", ".js", ".ts", ".sh", ".sql"}
    | {".java", ".c", ".h", ".cpp", ".cs", ".go", ".rs", ".rb", ".php", ".kt", ".r", ".diff"}
    | {".patch", ".out", ".err", ".tb", ".traceback"}
)
TEXT_MIMETYPES = frozenset(
    {"application/json", "application/x-python", "application/x-sh", "application/xml"}
    | {"application/x-yaml", "application/yaml", "application/toml", "application/sql"}
    | {"application/javascript", "application/x-ipynb+json"}
)
# The formats vision models accept, and how each one's bytes begin.
IMAGE_MIMETYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
# A share of replaced characters above this means the bytes were not text after all.
MAX_REPLACED_SHARE = 0.02


def kind_of(shared: SharedFile) -> FileKind:
    """The kind Slack's description of the file suggests (nothing is downloaded)."""
    mimetype = shared.mimetype.lower().split(";")[0].strip()
    filetype = shared.filetype.lower()
    extension = PurePosixPath(shared.name.lower()).suffix
    if filetype in IMAGE_MIMETYPES or mimetype in IMAGE_MIMETYPES.values():
        return FileKind.IMAGE
    if extension.lstrip(".") in IMAGE_MIMETYPES and not mimetype:
        return FileKind.IMAGE
    if mimetype.startswith("text/") or mimetype in TEXT_MIMETYPES:
        return FileKind.TEXT
    if filetype in TEXT_FILETYPES or extension in TEXT_EXTENSIONS:
        return FileKind.TEXT
    if shared.mode == "snippet":
        return FileKind.TEXT
    return FileKind.OTHER


def decode_text(content: bytes) -> str | None:
    """The bytes as text, or None when they are binary."""
    if b"\x00" in content:
        return None
    text = content.decode("utf-8", errors="replace").lstrip("\ufeff")
    if text.count("\ufffd") > max(2, len(text) * MAX_REPLACED_SHARE):
        return None
    return text.replace("\r\n", "\n")


def image_mimetype(content: bytes) -> str | None:
    """The image format the bytes really are (PNG, JPEG, GIF, WebP), or None."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


def language_of(shared: SharedFile) -> str:
    """The code fence's language hint ("python"), or "" when none fits."""
    extension = PurePosixPath(shared.name.lower()).suffix
    if shared.filetype.lower() == "python" or extension == ".py":
        return "python"
    return ""
