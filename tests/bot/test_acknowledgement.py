"""Which learner messages are only an acknowledgement: they get a reaction, not an answer."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.learner.acknowledgement import MAX_WORDS, PADDING, is_acknowledgement

_PADDING = PADDING


@pytest.mark.parametrize(
    "text",
    [
        "thanks",
        "Thanks!",
        "thank you!",
        "Thank you so much!!",
        "thx",
        "ty",
        "TYSM",
        "ok",
        "okay",
        "Ok thanks",
        "cool",
        "great",
        "Great, thanks!",
        "got it",
        "Got it, thank you.",
        "perfect",
        "perfect 👍",
        "👍",
        "🙏",
        "🙏🏽",
        "🎉🎉",
        ":+1:",
        ":thumbsup::skin-tone-3:",
        "thanks, that worked",
        "that worked, thanks a lot!",
        "makes sense now, thanks",
        "awesome, it works now",
        "many thanks",
        "cheers",
        "danke",
        "Danke schön!",
        "vielen Dank",
        "merci",
        "merci beaucoup",
        "gracias",
        "muchas gracias!",
        "obrigado",
        "obrigada",
        "grazie",
        "grazie mille",
        "bedankt",
        "dank je wel",
        "  thanks  \n",
    ],
)
def test_acknowledgements(text: str) -> None:
    assert is_acknowledgement(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "thanks! and how do I slice a list?",
        "thanks, and how do I slice a list",
        "ok but it still doesn't work",
        "ok so what is a tuple",
        "not great",
        "no",
        "that didn't work",
        "thanks?",
        "❓",
        "great, now how do I sort it",
        "How do I slice a list?",
        "lists",
        "so much",
        "ok ok ok ok ok ok ok ok ok",
        "thanks for nothing, this course is terrible and I want a human",
    ],
)
def test_not_acknowledgements(text: str) -> None:
    assert not is_acknowledgement(text)


_WORDS = st.sampled_from(
    ["thanks", "ok", "great", "got", "it", "thank", "you", "so", "much", "👍", "how", "list"]
)


@settings(max_examples=300)
@given(st.text(), st.text())
def test_a_question_mark_is_never_an_acknowledgement(before: str, after: str) -> None:
    assert not is_acknowledgement(f"{before}?{after}")


@settings(max_examples=300)
@given(st.lists(_WORDS, min_size=MAX_WORDS + 1, max_size=30), st.sampled_from([" ", ", ", "! "]))
def test_more_than_a_few_words_is_never_an_acknowledgement(words: list[str], sep: str) -> None:
    assert not is_acknowledgement(sep.join(words))


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_any_text_is_judged_without_error(text: str) -> None:
    assert is_acknowledgement(text) in (True, False)


_ACKS = st.sampled_from(["thanks", "ok", "got it", "perfect", "merci", "👍", "thank you so much"])


@settings(max_examples=300)
@given(_ACKS, st.from_regex(r"[a-z]{3,12}", fullmatch=True), st.sampled_from([" ", ", ", "! "]))
def test_an_acknowledgement_with_any_other_word_is_a_message(ack: str, word: str, sep: str) -> None:
    if is_acknowledgement(word) or word in _PADDING:
        return  # another acknowledgement ("thanks, cool") or padding ("thanks so much")
    assert not is_acknowledgement(f"{ack}{sep}{word}")
    assert not is_acknowledgement(f"{word}{sep}{ack}")
