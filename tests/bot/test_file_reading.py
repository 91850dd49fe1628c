"""Text files in a question: kinds, decoding, cutting, fencing, and what retrieval searches."""

from __future__ import annotations

import pytest

from bot.coach.attachments import (
    MAX_FILE_CHARS,
    cut,
    fence,
    focus,
    judged_words,
    note,
    telling_part,
)
from bot.coach.prompt import build_messages
from bot.inbox import InboundMessage, SharedFile, parse_message, route_message
from bot.learner.downloads import is_slack_file_url
from bot.learner.file_kinds import FileKind, decode_text, image_mimetype, kind_of
from bot.settings import Settings

TRACEBACK = """Traceback (most recent call last):
  File "lab2.py", line 12, in <module>
    main()
  File "lab2.py", line 9, in main
    print(names[3])
IndexError: list index out of range
"""


def shared(name: str, mimetype: str = "", filetype: str = "", mode: str = "hosted") -> SharedFile:
    return SharedFile(id="F1", name=name, mimetype=mimetype, filetype=filetype, mode=mode)


@pytest.mark.parametrize(
    ("file", "kind"),
    [
        (shared("lab2.py", "text/x-python", "python"), FileKind.TEXT),
        (shared("error.log", "text/plain", "text"), FileKind.TEXT),
        (shared("notes.md", "", ""), FileKind.TEXT),
        (shared("data.json", "application/json", "json"), FileKind.TEXT),
        (shared("Untitled", "text/plain", "python", mode="snippet"), FileKind.TEXT),
        (shared("traceback.txt", "application/octet-stream", ""), FileKind.TEXT),
        (shared("error.png", "image/png", "png"), FileKind.IMAGE),
        (shared("photo.JPG", "image/jpeg", "jpg"), FileKind.IMAGE),
        (shared("anim.gif", "image/gif", "gif"), FileKind.IMAGE),
        (shared("shot.webp", "image/webp", "webp"), FileKind.IMAGE),
        (shared("slides.pdf", "application/pdf", "pdf"), FileKind.OTHER),
        (shared("lab.zip", "application/zip", "zip"), FileKind.OTHER),
        (shared("demo.mp4", "video/mp4", "mp4"), FileKind.OTHER),
        (shared("icon.svg", "image/svg+xml", "svg"), FileKind.OTHER),
    ],
)
def test_the_kind_comes_from_mimetype_filetype_and_extension(
    file: SharedFile, kind: FileKind
) -> None:
    assert kind_of(file) is kind


def test_text_must_decode_and_not_be_binary() -> None:
    assert decode_text(b"print('hi')\r\n") == "print('hi')\n"
    assert decode_text("caf\u00e9 = 1\n".encode()) == "caf\u00e9 = 1\n"
    # A stray byte is replaced, not a reason to refuse the whole file.
    assert decode_text(b"x = 1  # \xff\n" + b"print(x)\n" * 40) is not None
    assert decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") is None
    assert decode_text(bytes(range(128, 256)) * 4) is None


def test_images_are_recognised_by_their_bytes() -> None:
    assert image_mimetype(b"\x89PNG\r\n\x1a\nrest") == "image/png"
    assert image_mimetype(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert image_mimetype(b"GIF89arest") == "image/gif"
    assert image_mimetype(b"RIFF\x10\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert image_mimetype(b"<!DOCTYPE html><html>") is None


def test_a_short_file_is_fenced_whole() -> None:
    block = fence("lab2.py", "names = []\nprint(names[3])\n", language="python")
    assert block == "[file: lab2.py]\n```python\nnames = []\nprint(names[3])\n```"


def test_a_long_file_keeps_its_start_and_end_with_a_note() -> None:
    lines = [f"line {n}" for n in range(5000)]
    text, was_cut = cut("\n".join(lines), 3000)
    assert was_cut
    assert len(text) <= 3000 + 40
    assert text.startswith("line 0\n")
    assert text.endswith("line 4999")
    assert "lines left out" in text
    block = fence("big.log", "\n".join(lines))
    assert f"(cut to {MAX_FILE_CHARS:,} characters)" in block.splitlines()[0]


def test_a_fence_inside_the_file_cannot_close_the_block() -> None:
    block = fence("README.md", "text\n```\nprint(1)\n```\nmore")
    assert block.count("```") == 2


def test_retrieval_searches_the_question_and_a_tracebacks_last_lines() -> None:
    question = "Why does this fail?\n\n" + fence("error.txt", TRACEBACK)
    search = focus(question)
    assert search.startswith("Why does this fail?")
    assert "IndexError: list index out of range" in search
    assert "Traceback (most recent call last)" not in search
    assert "```" not in search


def test_retrieval_uses_the_start_of_other_files() -> None:
    code = "\n".join(f"x{n} = {n}" for n in range(100))
    search = focus("What is wrong here?\n\n" + fence("lab.py", code, language="python"))
    assert "x0 = 0" in search
    assert "x99 = 99" not in search
    assert telling_part(code, 2) == "x0 = 0\nx1 = 1"


def test_a_question_without_files_is_searched_as_typed() -> None:
    assert focus("How do I slice a list?") == "How do I slice a list?"


def test_answerability_is_judged_on_the_typed_words() -> None:
    code = fence("lab.py", "grace_hopper = ['Ada']\n", language="python")
    assert judged_words(f"How do I add to a list?\n\n{code}") == "How do I add to a list?"
    assert judged_words(code) == "grace_hopper = ['Ada']"
    assert judged_words("How do I slice a list?") == "How do I slice a list?"


def test_notes_of_files_are_not_searched() -> None:
    question = "How do I slice a list?\n\n" + note("error.png", screenshot=True)
    question += "\n\n" + note("slides.pdf", read=False)
    assert question.endswith("[screenshot: error.png]\n\n[file: slides.pdf, not read]")
    assert focus(question) == "How do I slice a list?"


def test_images_go_with_the_question_only() -> None:
    messages = build_messages(
        "What does this error mean?", [], [], images=["data:image/png;base64,AAAA"]
    )
    last = messages[-1]
    assert last["role"] == "user"
    assert last["content"] == [
        {"type": "text", "text": "What does this error mean?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
    ]
    assert build_messages("q", [], [])[-1]["content"] == "q"


def test_the_token_goes_only_to_slacks_file_host() -> None:
    base = "https://files.slack.com/"
    assert is_slack_file_url("https://files.slack.com/files-pri/T1-F1/download/a.py", base)
    assert not is_slack_file_url("http://files.slack.com/files-pri/T1-F1/a.py", base)
    assert not is_slack_file_url("https://files.slack.com.evil.example/x", base)
    assert not is_slack_file_url("https://evil.example/files.slack.com/x", base)
    assert not is_slack_file_url("https://user:pw@files.slack.com/x", base)
    assert not is_slack_file_url("file:///etc/passwd", base)


def test_the_file_host_follows_the_api_url() -> None:
    default = Settings(_env_file=None)  # type: ignore[call-arg]
    assert default.files_base_url == "https://files.slack.com/"
    local = Settings(_env_file=None, slack_api_url="http://127.0.0.1:9999/api/")  # type: ignore[call-arg]
    assert local.files_base_url == "http://127.0.0.1:9999/"
    told = Settings(_env_file=None, slack_files_url="https://files.example.com")  # type: ignore[call-arg]
    assert told.files_base_url == "https://files.example.com/"


def test_a_file_share_event_keeps_its_files_and_is_answered() -> None:
    import json

    from tests.fakes.slack_contract import SLACK_REFERENCE

    body = json.loads(
        (
            SLACK_REFERENCE
            / "payloads"
            / "bolt-python"
            / "test_message_file_share__event_payload.json"
        ).read_text()
    )
    event = body["event"] | {"channel_type": "im", "text": ""}
    message = parse_message(event, body["event_id"])
    [file] = message.files
    assert file.name == "file.png"
    assert file.mimetype == "image/png"
    assert file.size == 92582
    assert file.url == "https://files.slack.com/files-pri/T111-F111/download/file.png"
    assert route_message(event).value == "learner"
    # Stored in a task and read back unchanged; hashable, as bursts need.
    again = InboundMessage.from_payload(message.to_payload())
    assert again == message
    assert hash(again) == hash(message)
