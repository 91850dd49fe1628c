"""Optional email to trainers, sent as a durable ``notify.email`` task so failures retry.

Enabled when ``SMTP_HOST`` is set (with ``SMTP_PORT``, ``SMTP_USERNAME``, ``SMTP_PASSWORD``,
``SMTP_FROM``, ``SMTP_STARTTLS``, ``SMTP_VERIFY_TLS``). STARTTLS checks the server's certificate
and name unless ``SMTP_VERIFY_TLS`` is false (a lab server). Each message has a plain-text and an
HTML part. The stdlib ``smtplib`` is blocking, so it runs in a worker thread. A task without an
address looks the trainer's email up with users.info and caches it in ``trainers.email``.
"""

from __future__ import annotations

import asyncio
import html
import smtplib
import ssl
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps
from bot.people.profiles import fetch_profile
from bot.settings import Settings
from bot.tasks.kinds import PermanentFailure, TaskRegistry
from bot.tasks.queue import enqueue
from store.repositories.audit import AuditRepository
from store.repositories.people import PeopleRepository
from store.tasks import ClaimedTask

NOTIFY_EMAIL = "notify.email"


@dataclass(frozen=True)
class EmailContent:
    """Subject and both bodies of one email."""

    subject: str
    text: str
    html: str

    def to_dict(self) -> dict[str, str]:
        """JSON form stored in the task."""
        return {"subject": self.subject, "text": self.text, "html": self.html}


def build_escalation_email(
    ticket: str,
    *,
    learner: str,
    course: str | None,
    question: str,
    ai_answer: str | None,
    confidence: float | None,
    triggers: list[str],
    references: list[str],
    note: str | None,
    reason: str,
) -> EmailContent:
    """The full context of an escalation, as plain text and as HTML."""
    rows: list[tuple[str, str]] = [
        ("Ticket", ticket),
        ("Learner", learner),
        ("Course", course or "not known"),
        ("Question", question),
        (
            "AI answer",
            f"{ai_answer} (confidence {confidence:.2f})"
            if ai_answer and confidence is not None
            else ai_answer or "none (the AI did not answer)",
        ),
        ("Why", "; ".join(triggers) or "not recorded"),
        ("References", "; ".join(references) or "none"),
    ]
    if note:
        rows.append(("Learner's note", note))
    text = f"{reason}\n\n" + "\n".join(f"{label}: {value}" for label, value in rows)
    text += "\n\nClaim it on the card in Slack; replies in the card's thread reach the learner."
    cells = "".join(
        f"<tr><th align='left' valign='top'>{html.escape(label)}</th>"
        f"<td>{html.escape(value).replace(chr(10), '<br>')}</td></tr>"
        for label, value in rows
    )
    body = (
        f"<html><body><p>{html.escape(reason)}</p><table cellpadding='4'>{cells}</table>"
        "<p>Claim it on the card in Slack; replies in the card's thread reach the learner.</p>"
        "</body></html>"
    )
    return EmailContent(f"[{ticket}] {reason}", text, body)


def compose(settings: Settings, to: str, content: EmailContent) -> EmailMessage:
    """A multipart/alternative message (plain text first, HTML preferred by mail clients)."""
    message = EmailMessage()
    message["Subject"] = content.subject
    message["From"] = settings.smtp_from
    message["To"] = to
    message.set_content(content.text)
    message.add_alternative(content.html, subtype="html")
    return message


def _tls_context(settings: Settings) -> ssl.SSLContext:
    """The system's trusted certificates and hostname check; none of it with verification off."""
    context = ssl.create_default_context()
    if not settings.smtp_verify_tls:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _send_blocking(settings: Settings, message: EmailMessage) -> None:
    assert settings.smtp_host is not None
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=_tls_context(settings))
        if settings.smtp_username and settings.smtp_password is not None:
            smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        smtp.send_message(message)


async def send_email(settings: Settings, to: str, content: EmailContent) -> None:
    """Send one email through the configured SMTP server (in a thread: smtplib blocks)."""
    await asyncio.to_thread(_send_blocking, settings, compose(settings, to, content))


async def enqueue_email(
    session: AsyncSession,
    *,
    trainer_id: str,
    to: str | None,
    content: EmailContent,
    dedupe_key: str,
    escalation_id: int | None = None,
) -> int | None:
    """Store an email to a trainer, sent later by the worker; ``to`` None means look it up."""
    payload: dict[str, Any] = {
        "trainer_id": trainer_id,
        "to": to,
        "escalation_id": escalation_id,
        **content.to_dict(),
    }
    return await enqueue(
        session, NOTIFY_EMAIL, payload, ordering_key=f"email:{trainer_id}", dedupe_key=dedupe_key
    )


async def _lookup_email(deps: Deps, trainer_id: str) -> str | None:
    profile = await fetch_profile(await deps.slack_client(), trainer_id)
    email = profile.email if profile else None
    if email:
        async with deps.sessions.begin() as session:
            await PeopleRepository(session).remember_profile(
                trainer_id, display_name=None, email=email
            )
    return email


async def send_email_task(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """Task handler: send the stored email (SMTP errors are retried with backoff)."""
    if deps.settings.smtp_host is None:
        raise PermanentFailure("SMTP_HOST is not set")
    payload = task.payload
    to = payload.get("to") or await _lookup_email(deps, str(payload["trainer_id"]))
    if not to:
        raise PermanentFailure(f"no email address known for {payload['trainer_id']}")
    content = EmailContent(payload["subject"], payload["text"], payload["html"])
    await send_email(deps.settings, str(to), content)
    async with deps.sessions.begin() as session:
        await AuditRepository(session).record(
            "email_sent",
            "system",
            payload.get("escalation_id"),
            to=str(to),
            subject=content.subject,
            trainer_id=payload["trainer_id"],
        )
    return {"to": to}


def register(tasks: TaskRegistry) -> None:
    """Register the email task kind."""
    tasks.register(NOTIFY_EMAIL, send_email_task, give_up_after=timedelta(hours=12))
