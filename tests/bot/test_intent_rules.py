"""The rules alone (no embedder): requests for a person, threats and harassment in the many
ways learners put them, and the programming talk and everyday complaints that only sound like
them."""

from __future__ import annotations

import json

import pytest

from bot.escalation.intents import IntentDetector, IntentKind, SafetyKind
from bot.escalation.intents.rules import human_rule
from bot.escalation.intents.rules_safety import safety_rule
from bot.escalation.intents.similarity import EXAMPLES_FILE


def rule_kind(text: str) -> SafetyKind | None:
    found = IntentDetector(None).by_rules(text)
    assert set(found) <= {IntentKind.SAFETY}, found
    return found[IntentKind.SAFETY].kind if found else None


@pytest.mark.parametrize(
    "text",
    [
        "if the trainer fails me again i'm going to hurt him",
        "i swear i will murder that instructor if he marks me down",
        "i'm gonna smash his face in tomorrow",
        "im going to break his legs after class",
        "i'll stab anyone who touches my laptop again",
        "one more comment like that and i'll put him in hospital",
        "he'd better watch his back",
        "they're going to pay for this, all of them",
        "i'm bringing my dad's gun to the meetup on friday",
        "i want to shoot up the office",
        "i'll make her suffer for failing me",
        "i want to hurt the trainer who failed me",
    ],
)
def test_threats_in_many_wordings(text: str) -> None:
    assert rule_kind(text) is SafetyKind.THREAT


@pytest.mark.parametrize(
    "text",
    [
        "a guy from the cohort won't leave me alone, he messages me every night",
        "someone keeps sending me creepy pictures on slack",
        "one of the trainers touched me during the workshop and i didn't want it",
        "he keeps making comments about my body in the chat",
        "a classmate asked me for nudes and now keeps texting me",
        "someone posted my home address in the course channel",
        "a person in the group follows me home after the meetup",
        "people in the cohort keep sending me racist messages",
    ],
)
def test_harassment_in_many_wordings(text: str) -> None:
    assert rule_kind(text) is SafetyKind.HARASSMENT


@pytest.mark.parametrize(
    "text",
    [
        "how do i kill the child process when the parent dies",
        "the garbage collector will murder my performance, right?",
        "i'm going to break the loop when i find the value",
        "i'll be waiting for the thread to finish, is join() right?",
        "the linter won't leave me alone about line length",
        "my ide keeps sending me warnings about unused imports",
        "pytest keeps making comments about my fixtures being deprecated",
        "how do i make the function wait for him to press enter",
        "should i watch the lab video before i start or after",
        "the test suite is going to pay off later, right?",
        "i shot myself in the foot with a mutable default argument",
        "how do i hurt less when the errors pile up lol",
        "this bug is going to be the death of me",
        "my trainer touched on decorators in class, where are they in the course",
        "how do i post my address book to the server in lab 4",
        "the for loop follows me into every lab, i see it everywhere",
        "my code is full of racist variable names from an old tutorial, how do i rename them all",
    ],
)
def test_programming_talk_and_complaints_are_not_threats_or_harassment(text: str) -> None:
    assert rule_kind(text) is None


def test_no_safety_rule_matches_a_look_alike_of_the_example_bank() -> None:
    look_alikes = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))["negative"]
    assert len(look_alikes) > 500
    assert [text for text in look_alikes if safety_rule(text)] == []


@pytest.mark.parametrize(
    "text",
    [
        # A person named first, then asked for by pronoun.
        "i'll talk to my trainer tomorrow, can you book me a slot with them?",
        "my tutor wanted the output as a table, could she have a look at mine?",
        "my mentor said to ping him here, can you let him know i'm stuck",
        "my trainer marked lab 2 wrong, can they call me about it",
        # Other wordings of a person asked to act.
        "could a staff member double check my lab 4 output",
        "could a tutor do a quick call with me on friday",
        "can the trainer from this morning's session email me",
        "would someone on the team be able to look at my submission",
        "is there anyone i can phone about my enrolment",
        "how do i contact the people who run this course",
        "i'd like my mentor to go over my bank account lab with me",
        "i want to make a complaint to a trainer",
        "i need somebody to go through lab 3 with me",
        "would one of the trainers have time to look at my lab",
    ],
)
def test_requests_for_a_person_by_rule(text: str) -> None:
    assert set(IntentDetector(None).by_rules(text)) == {IntentKind.HUMAN_REQUEST}


@pytest.mark.parametrize(
    "text",
    [
        "my trainer showed us generators, can they be infinite?",
        "my mentor mentioned decorators, can they help with caching?",
        "the trainer said sets are fast, could she mean for lookups only?",
        "my tutor uses type hints, can they be checked at run time",
        "can a person check if a list is empty with if not x",
        "i need something to go through a list two items at a time",
        "the people who run this course wrote great labs, thanks",
        "does the trainer from the video use vscode or pycharm",
        "my trainer said to double check the output format, what is it",
        "i'll ask my trainer tomorrow, can you explain zip for now",
    ],
)
def test_pronouns_and_look_alikes_are_not_requests(text: str) -> None:
    assert IntentDetector(None).by_rules(text) == {}


def test_no_request_rule_matches_a_look_alike_of_the_example_bank() -> None:
    look_alikes = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))["negative"]
    assert [text for text in look_alikes if human_rule(text)] == []


@pytest.mark.parametrize(
    "text",
    [
        "meine Dozentin hat uns gezeigt, wie man dict.get benutzt, warum geht es bei mir nicht?",
        "ich schreibe morgen selbst meinem Trainer, aber was ist ein Tupel?",
        "mon formateur m'a dit d'utiliser enumerate, pourquoi ?",
        "pas besoin d'un formateur, j'ai compris",
        "mi tutora dijo que los sets no tienen orden, ¿es verdad?",
        "hablé con mi profesor y ya está resuelto, gracias",
        "mijn docent zei dat een lijst veranderbaar is, klopt dat?",
        "meu professor explicou o for mas não entendi o else",
        "il mio tutor ha detto di usare una list comprehension, come si fa?",
    ],
)
def test_a_person_only_mentioned_in_another_language_is_not_asked_for(text: str) -> None:
    assert IntentDetector(None).by_rules(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        "mein Trainer hat gesagt, ich soll hier fragen: kann ich mit einem Trainer sprechen?",
        "mon formateur a dit que je peux demander ici, je voudrais parler avec un formateur",
        "mi profesor dijo que escriba aquí, quiero hablar con un tutor",
    ],
)
def test_a_request_beside_a_mention_still_asks(text: str) -> None:
    assert set(IntentDetector(None).by_rules(text)) == {IntentKind.HUMAN_REQUEST}
