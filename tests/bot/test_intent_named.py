"""Requests for a person by name ("is Priya around", "forward this to Marco"), by what they did
("the person who set the lab 3 brief"), or in frustration ("person please"); Polish and
romanised Hindi; and people only mentioned in passing: the learner's own job, a talk that is
over, an email the learner wants help writing."""

from __future__ import annotations

import functools

import pytest

from bot.escalation.intents import IntentDetector, IntentKind, detector_for
from tests.content.ingest_support import local_embedder


def by_rules(text: str) -> set[IntentKind]:
    return set(IntentDetector(None).by_rules(text))


@functools.cache
def detector() -> IntentDetector:
    return detector_for(local_embedder())


async def asks_for_a_person(text: str) -> bool:
    return (await detector().detect(text)).human_request is not None


@pytest.mark.parametrize(
    "text",
    [
        # a person by name
        "is Anika around today?",
        "is Joao online",
        "hey is Sam around",
        "Dr. Mensah free for a quick call tomorrow?",
        "any chance Prof. Lindqvist is around after class?",
        "could you forward this to Kenji please",
        "pass it on to Fatima when she's in",
        "send my question to Ms. Abara, thanks",
        "no more bot, give me Lucia",
        "can u get Omar to look at my repo",
        "could you ask Ines to check my lab",
        # a person by what they did
        "can you get the person who wrote the day 4 brief to explain exercise 2?",
        "i need the guy who ran monday's workshop",
        "i want to talk to whoever handles grades",
        "the lab 3 marker please, i think my score is wrong",
        # in frustration, or waiting for one
        "you don't get it. person please",
        "ugh. real person pls",
        "is there no one i can talk to here?",
        "is there nobody to talk to",
        "are any people reading this chat?",
        "are there any humans watching this?",
        "happy to wait for a trainer, no rush",
        "i will wait for a real person",
        "can i explain my problem to a human instead?",
        "could i describe this to a trainer",
        "who's the person i can ask about my certificate?",
        "pls connect me",
        "could you get someone to go through this with me",
        "can you find somebody who can help",
        # a typo in both words
        "is ther a trainer avaliable",
    ],
)
def test_a_person_asked_for_by_name_deed_or_frustration(text: str) -> None:
    assert by_rules(text) == {IntentKind.HUMAN_REQUEST}


@pytest.mark.parametrize(
    "text",
    [
        "is Python available on the lab machines?",
        "is Django free to use?",
        "is Jupyter online or do i install it",
        "pass it to Counter and it counts for you",
        "forward this to Excel as a csv",
        "give me True or False: tuples are immutable",
        "the person who wrote this code used a global, why?",
        "a person please class: how do i add a name attribute",
        "is there no way to do this without a loop?",
        "are any people objects equal if their names match",
        "i can't wait for a trainer object to be created, it's so slow",
        "connect me to the database with sqlite3 pls",
        "how can you get someone to trust your code",
        "is the marker in matplotlib the dot?",
    ],
)
def test_the_same_shapes_asking_for_nobody(text: str) -> None:
    assert by_rules(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "chcę porozmawiać z prowadzącym",
        "czy mogę porozmawiać z kimś z zespołu kursu?",
        "potrzebuję kontaktu z trenerem",
        "czy jest tu ktoś prawdziwy? proszę",
        "mentor se baat karwa do yaar",
        "kya main kisi insaan se baat kar sakta hoon",
        "koi trainer hai kya? baat karni hai",
    ],
)
def test_polish_and_romanised_hindi_requests(text: str) -> None:
    assert by_rules(text) == {IntentKind.HUMAN_REQUEST}


@pytest.mark.parametrize(
    "text",
    [
        "rozmawiałam już z trenerem, wszystko jasne. jak działa range?",
        "prowadzący powiedział, że listy są zmienne. dlaczego?",
        "nie potrzebuję człowieka, wytłumacz mi pętle",
        "mera mentor ne bola tha ki dict fast hai, kyun?",
        "maine trainer se baat kar li, ab bas ek doubt hai: yield kya hai",
        "human nahi chahiye, bas batao list comprehension kaise likhte hain",
    ],
)
def test_polish_and_romanised_hindi_mentions(text: str) -> None:
    assert by_rules(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        # the learner's own job, or a relative's
        "i'm a teacher too, how would i explain loops to ten year olds?",
        "I work as a support agent, could python sort our tickets by date?",
        "my sister is a tutor and says i should learn dicts first, are they hard?",
        # a talk that is over and settled
        "i already spoke with my mentor and it's all fine now. what does zip do?",
        "talked to the TA, we fixed it. thanks anyway",
        # a person away, and the learner carrying on alone
        "my tutor is on holiday so i'm going solo this week, wish me luck",
        # help writing to a person
        "help me draft an email to my trainer asking for an extension",
        "can you help me write a message to my mentor about my progress?",
        # a comparison, or a state
        "honestly you explain this better than a real teacher",
        "speaking to people all day is tiring, coding is calmer",
        "on a call with my team so quick one: what is a set?",
    ],
)
async def test_a_person_mentioned_in_passing_is_not_asked_for(text: str) -> None:
    assert not await asks_for_a_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "i'm a teacher too, but i need a trainer to check my lab",
        "i already spoke with my mentor and she said to get a trainer to mark it, can you?",
        "my tutor is on holiday, can another mentor look at my code?",
        "help me write an email to my trainer, or just get her to call me",
        "talked to the TA yesterday but she never got back to me, can someone from staff help?",
    ],
)
async def test_a_mention_beside_a_request_still_asks(text: str) -> None:
    assert await asks_for_a_person(text)
