"""Writing a reply draft: with the chat model from the thread, passages and past resolutions, or
offline the closest course passage (and the matching FAQ entry), marked as such in the modal.

A model error falls back to the offline draft: a trainer waiting on a modal gets something to
edit either way, and the draft records which it was (``source``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from openai import AsyncOpenAI, OpenAIError

from bot.copilot.draft_sources import DraftMaterial
from bot.settings import Settings

log = logging.getLogger(__name__)

LLM = "llm"
OFFLINE = "offline"
# What the model sees of each passage, resolution note and thread message.
_PASSAGE_CHARS = 2000
_LINE_CHARS = 1500
_THREAD_LINES = 12
# The modal's input holds 3,000 characters; a draft is a chat reply, well under that.
DRAFT_CHARS = 2900

SYSTEM = (
    "You draft a reply that a human trainer of an online course will check, edit and send to a "
    "learner in Slack. Write as the trainer, in the first person, warmly and briefly (under 200 "
    "words). Answer what the learner still needs, from the course passages and the notes of "
    "similar resolved tickets; say where in the course to read more. If they do not cover it, "
    "say what the trainer should check instead of inventing an answer. Reply with the message "
    "text only, in Slack mrkdwn."
)


@dataclass(frozen=True)
class WrittenDraft:
    """The draft's text, how it was written and the places it comes from."""

    text: str
    source: str
    sources: list[str]


def _clip(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _labels(material: DraftMaterial) -> list[str]:
    labels = [p.location.label() for p in material.passages]
    labels += [f"ESC-{r.ticket} (resolved)" for r in material.resolutions]
    return list(dict.fromkeys(labels))


def build_draft_prompt(material: DraftMaterial) -> str:
    """The user message of the draft request."""
    thread = "\n".join(
        f"[{line.role}] {_clip(line.text, _LINE_CHARS)}"
        for line in material.thread[-_THREAD_LINES:]
    )
    passages = "\n\n".join(
        f"[{p.location.label()}]\n{_clip(p.text, _PASSAGE_CHARS)}" for p in material.passages
    )
    resolutions = "\n\n".join(
        f"[ESC-{r.ticket}] Q: {_clip(r.question, _LINE_CHARS)}\nResolution: "
        f"{_clip(r.notes, _LINE_CHARS)}"
        for r in material.resolutions
    )
    return (
        f"The learner's question:\n{_clip(material.question, _LINE_CHARS)}\n\n"
        f"The thread so far (oldest first):\n{thread or '(nothing else)'}\n\n"
        f"Course passages:\n{passages or '(none found)'}\n\n"
        f"Similar resolved tickets:\n{resolutions or '(none)'}"
    )


def offline_draft(material: DraftMaterial) -> WrittenDraft:
    """The closest course passage, after the matching FAQ entry when there is one."""
    faq = [p for p in material.passages if p.location.is_faq][:1]
    passage = [p for p in material.passages if not p.location.is_faq][:1]
    chosen = faq + passage
    parts = [f"{p.text.strip()}\n(From {p.location.label()})" for p in chosen]
    parts += [
        f"{r.notes.strip()}\n(As resolved in ESC-{r.ticket})" for r in material.resolutions[:1]
    ]
    text = "\n\n".join(parts) or (
        "I could not find this in the course material. Let me look into it and come back to you."
    )
    sources = [p.location.label() for p in chosen]
    sources += [f"ESC-{r.ticket} (resolved)" for r in material.resolutions[:1]]
    return WrittenDraft(_clip(text, DRAFT_CHARS), OFFLINE, sources)


async def write_draft(
    client: AsyncOpenAI | None, settings: Settings, material: DraftMaterial
) -> WrittenDraft:
    """The draft: the model's, or the offline one without a model or when the model fails."""
    if client is None:
        return offline_draft(material)
    try:
        completion = await client.chat.completions.create(
            model=settings.chat_model,
            messages=[
                {"role": "system", "content": SYSTEM},
                {"role": "user", "content": build_draft_prompt(material)},
            ],
            temperature=0.3,
        )
    except OpenAIError:
        log.warning("the model could not draft a reply; using the offline draft", exc_info=True)
        return offline_draft(material)
    content = (completion.choices[0].message.content or "") if completion.choices else ""
    if not content.strip():
        return offline_draft(material)
    return WrittenDraft(_clip(content, DRAFT_CHARS), LLM, _labels(material))
