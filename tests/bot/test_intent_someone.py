"""Requests for a person that name no verb of asking ("wheres the human", "i'd really prefer a
human for this one"), and the same words in messages that ask for nobody."""

from __future__ import annotations

import pytest

from bot.escalation.intents import IntentDetector, IntentKind


def by_rules(text: str) -> set[IntentKind]:
    return set(IntentDetector(None).by_rules(text))


@pytest.mark.parametrize(
    "text",
    [
        "agent",
        "operator",
        "i'm not trying to be rude but i'd really prefer a human for this one",
        "is a human going to mark these labs? id prefer a human",
        "i think this needs a human eye tbh",
        "i'll wait for a human answer thanks",
        "no more bot answers please, human only",
        "wheres the human",
        "i paid for this, where are the trainers",
        "any update on getting a human to look at my ticket?",
        "can someone officially grade my exam, the auto result looks wrong",
        "would it be possible for someone to go through my lab with me?",
        "whos in charge here",
        "get me someone who knows",
        "can someone knowledgeable jump on this",
        "isn't there anyone i can actually talk to",
        "is there an expert around who can explain decorators, not you",
        "will a tutor be able to grade my lab manually?",
    ],
)
def test_wanting_a_person_without_a_verb_of_asking(text: str) -> None:
    assert by_rules(text) == {IntentKind.HUMAN_REQUEST}


@pytest.mark.parametrize(
    "text",
    [
        "the agent calls a tool in a loop, how do i stop it",
        "i prefer a tutor who explains with examples, like you do",
        "is this output easy for the human eye to read?",
        "where is the teacher's solution for lab 2",
        "where is the trainer class defined in the example",
        "can someone explain what a generator is",
        "can someone check my understanding: a tuple is immutable, right?",
        "who is in charge of closing the file, the with block?",
        "my loop is getting a human to type a number, how do i validate it",
    ],
)
def test_the_same_words_asking_for_nobody(text: str) -> None:
    assert by_rules(text) == set()
