"""Whether a learner's message only acknowledges ("thanks", "got it", "👍"): no answer needed.

Answering "thanks" with a course passage (or counting it toward the turn limit that escalates a
thread) helps nobody, so such a message gets a reaction instead. The test is strict on purpose:
every clause must be an acknowledgement, so "thanks! and how do I slice a list?" is a question.
A question mark, or more than ``MAX_WORDS`` words, is never an acknowledgement.
"""

from __future__ import annotations

import re
import unicodedata

MAX_WORDS = 8

# Phrases that acknowledge on their own, in English and the other languages the coach meets.
_PHRASES = {
    # thanks
    "thanks",
    "thank you",
    "thank u",
    "thankyou",
    "thanks you",
    "thx",
    "thnx",
    "thanx",
    "tx",
    "ty",
    "tysm",
    "tyvm",
    "many thanks",
    "cheers",
    # agreement and understanding
    "ok",
    "okay",
    "okey",
    "okie",
    "k",
    "kk",
    "alright",
    "all right",
    "cool",
    "great",
    "nice",
    "awesome",
    "perfect",
    "excellent",
    "brilliant",
    "lovely",
    "super",
    "amazing",
    "wonderful",
    "fantastic",
    "sweet",
    "neat",
    "yes",
    "yay",
    "got it",
    "gotcha",
    "understood",
    "makes sense",
    "that makes sense",
    "sounds good",
    "all good",
    "will do",
    "noted",
    "i see",
    "ah",
    "oh",
    # it worked
    "that worked",
    "it worked",
    "that works",
    "it works",
    "works",
    "worked",
    "that helps",
    "that helped",
    "this helps",
    "helpful",
    "very helpful",
    "solved",
    "fixed",
    # other languages
    "danke",
    "danke schön",
    "danke schon",
    "dankeschön",
    "vielen dank",
    "merci",
    "merci beaucoup",
    "gracias",
    "muchas gracias",
    "obrigado",
    "obrigada",
    "muito obrigado",
    "muito obrigada",
    "grazie",
    "grazie mille",
    "bedankt",
    "dank je",
    "dank je wel",
    "dankjewel",
    "dank u",
    "dank u wel",
}
# Words that may pad an acknowledgement ("thanks so much", "that worked perfectly now").
PADDING = frozenset(
    {
        "so",
        "much",
        "very",
        "a",
        "lot",
        "again",
        "now",
        "really",
        "perfectly",
        "great",
        "for",
        "that",
        "this",
        "the",
        "help",
        "tip",
        "answer",
        "coach",
        "bot",
        "man",
        "mate",
    }
)
_LONGEST_PHRASE = max(len(phrase.split()) for phrase in _PHRASES)

_SHORTCODE = re.compile(r":[a-z0-9_+'\-]+:")
_QUESTION_EMOJI = {"\u2753", "\u2754"}  # ❓ ❔
_QUESTION_SHORTCODES = {":question:", ":grey_question:"}
_CLAUSE = re.compile(r"[,.;!\n]+|\s+-\s+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _is_emoji(char: str) -> bool:
    """Pictographs, their modifiers and joiners: what an emoji-only message is made of."""
    if char in "\u200d\ufe0f\ufe0e\u20e3":
        return True
    if 0x1F3FB <= ord(char) <= 0x1F3FF:  # skin tones
        return True
    return unicodedata.category(char) in ("So", "Sk", "Cs")


def _covered(words: list[str]) -> bool:
    """Whether a clause is acknowledgement phrases and padding, with one phrase at least."""
    found = False
    i = 0
    while i < len(words):
        for size in range(min(_LONGEST_PHRASE, len(words) - i), 0, -1):
            if " ".join(words[i : i + size]) in _PHRASES:
                found = True
                i += size
                break
        else:
            if words[i] not in PADDING:
                return False
            i += 1
    return found


def is_acknowledgement(text: str) -> bool:
    """True when the message only thanks, agrees or reacts, and asks nothing."""
    lowered = text.casefold().replace("’", "'")
    if "?" in lowered or "\uff1f" in lowered:
        return False
    if any(code in lowered for code in _QUESTION_SHORTCODES) or any(
        char in _QUESTION_EMOJI for char in lowered
    ):
        return False
    without_codes = _SHORTCODE.sub(" ", lowered)
    had_emoji = without_codes != lowered or any(_is_emoji(char) for char in lowered)
    plain = "".join(" " if _is_emoji(char) else char for char in without_codes)
    words = _WORD.findall(plain)
    # Each emoji or :shortcode: counts as a word: a long string of them is not a quick thanks.
    emoji = len(_SHORTCODE.findall(lowered)) + sum(
        unicodedata.category(char) == "So" for char in without_codes
    )
    if len(words) + emoji > MAX_WORDS:
        return False
    if not words:
        # Nothing but emoji (and punctuation) acknowledges; nothing at all does not.
        return had_emoji and not re.search(r"[^\W_]", plain)
    # Anything but words, emoji, spaces and clause marks ("x = [1]") is not small talk.
    if re.search(r"[^\w\s,.;!'\-]", plain):
        return False
    clauses = [_WORD.findall(clause) for clause in _CLAUSE.split(plain)]
    return all(_covered(clause) for clause in clauses if clause)


__all__ = ["MAX_WORDS", "PADDING", "is_acknowledgement"]
