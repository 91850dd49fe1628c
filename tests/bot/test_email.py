"""Trainer emails: HTML and plain text with the full context, through a real local SMTP server."""

from __future__ import annotations

import asyncio
import email
import smtplib
import socket
import ssl
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from bot.notify.email import build_escalation_email, send_email
from bot.settings import Settings
from store.database import Database
from store.models import AuditEvent
from tests.harness import reset_database, running_bot
from tests.scenario.test_escalation_flow import escalated_thread


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def content() -> Any:
    return build_escalation_email(
        "ESC-1042",
        learner="U0LEARN01",
        course="Python Foundations",
        question="Why does <my> loop never end?",
        ai_answer="Check the loop condition.",
        confidence=0.31,
        triggers=["confidence 0.31 is below 0.40"],
        references=["Day 2 › Loops"],
        note="Tried break",
        reason="New escalation for you",
    )


async def test_email_has_plain_and_html_parts_with_the_ticket(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls=False,
        smtp_from="coach@example.com",
    )
    await send_email(settings, "jane@example.com", content())
    for _ in range(100):  # the server hands the message over on its own thread
        if inbox.messages:
            break
        await asyncio.sleep(0.02)

    [(recipients, message)] = inbox.messages
    assert recipients == ["jane@example.com"]
    assert message["Subject"] == "[ESC-1042] New escalation for you"
    assert message["From"] == "coach@example.com"
    assert message.get_content_type() == "multipart/alternative"
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in message.walk()
        if not part.is_multipart()
    }
    plain, html = parts["text/plain"], parts["text/html"]
    for text in (
        "ESC-1042",
        "Python Foundations",
        "Check the loop condition. (confidence 0.31)",
        "Tried break",
        "Day 2 › Loops",
    ):
        assert text in plain
    assert "Why does <my> loop never end?" in plain
    assert "Why does &lt;my&gt; loop never end?" in html  # escaped, never raw HTML
    assert "<table" in html


async def test_unreachable_server_raises_so_the_task_retries() -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        smtp_host="127.0.0.1",
        smtp_port=free_port(),
        smtp_starttls=False,
    )
    with pytest.raises(OSError):
        await send_email(settings, "jane@example.com", content())


async def test_suggested_trainer_is_emailed_when_a_thread_escalates(
    database: Database, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    await reset_database(database)
    overrides = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False}
    async with running_bot(database, **overrides) as bot:
        bot.slack.add_user("U0TRAIN01", email="jane@example.com")
        _, escalation = await escalated_thread(bot)
        await bot.drain()
        async with bot.deps.sessions() as session:
            sent = (
                await session.scalars(select(AuditEvent).where(AuditEvent.action == "email_sent"))
            ).all()

    [(recipients, message)] = inbox.messages
    assert recipients == ["jane@example.com"]
    assert f"ESC-{escalation.ticket}" in message["Subject"]
    assert [event.details["to"] for event in sent] == ["jane@example.com"]


@pytest.mark.parametrize(
    ("verify", "expected"), [(None, ssl.CERT_REQUIRED), (False, ssl.CERT_NONE)]
)
async def test_starttls_verifies_the_server_certificate_unless_turned_off(
    smtp: tuple[Inbox, int],
    monkeypatch: pytest.MonkeyPatch,
    verify: bool | None,
    expected: ssl.VerifyMode,
) -> None:
    _, port = smtp
    contexts: list[ssl.SSLContext | None] = []

    def starttls(self: smtplib.SMTP, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        # The local server speaks no TLS: record what the upgrade would have used instead.
        contexts.append(kwargs.get("context", args[0] if args else None))
        return 220, b"ready"

    monkeypatch.setattr(smtplib.SMTP, "starttls", starttls)
    extra: dict[str, Any] = {} if verify is None else {"smtp_verify_tls": verify}
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls=True,
        **extra,
    )
    await send_email(settings, "jane@example.com", content())

    [context] = contexts
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == expected
    assert context.check_hostname is (expected == ssl.CERT_REQUIRED)
