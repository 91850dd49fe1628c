"""Requests for time with a person, a session only a person gives, or a call, and the talk about
sessions, calls and minutes that asks for nobody; methods of self-harm said in earnest; reported
speech in other languages. The rules alone, without an embedder."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.escalation.intents import IntentDetector, IntentKind, SafetyKind


def fired(text: str) -> set[IntentKind]:
    return set(IntentDetector(None).by_rules(text))


@pytest.mark.parametrize(
    "text",
    [
        "could i get 10 minutes with a trainer this week?",
        "any chance of 15 mins with my mentor before friday",
        "i'd like some time with an instructor to go over lab 3",
        "need half an hour with the day 4 tutor, when is she free",
        "can I book a feedback session?",
        "is a 1:1 with the tutor possible on thursday?",
        "review session with anna possible this afternoon?",
        "i'd love a mentoring session about what to learn next",
        "can someone walk me through classes over zoom?",
        "could anybody explain decorators to me on a video call",
        "can we do a quick call about my gradebook lab",
        "could you set up a call with a mentor for me",
        "is there any tutoring session i can join this week",
        "could we set up a 1-on-1 with the tutor?",
        "I'd like to book a mentor session",
        "can i have 10 min w/ a trainer",
        "does any mentor have 15 minutes for me this week?",
        "can I grab 10 mins of a tutor's time?",
        "can someone jump on a call with me?",
        "could someone call me on the phone?",
        "can we do a quick zoom about my project",
        "Can I book an appointment with the tutor?",
        "can I get a slot with a tutor this week?",
    ],
)
def test_time_sessions_and_calls_with_a_person_are_requests(text: str) -> None:
    assert fired(text) == {IntentKind.HUMAN_REQUEST}


@pytest.mark.parametrize(
    "text",
    [
        "i spent 20 minutes with my tutor yesterday and still don't get loops",
        "after an hour with the debugger i found it, why was the index off by one",
        "the mentor said in the feedback session that tuples are immutable, why?",
        "how do i build a video call app in python",
        "my zoom call dropped, anyway what is a generator",
        "the slides from office hours mention enumerate, how does it work?",
        "how do i make a Meeting class with a start time and 30 minutes duration",
        "what time does the live session start today",
        "is the recording of the feedback session uploaded somewhere",
        "i'm building an app where people can book a call with a doctor, how do i store the slots",
        "can you call out any bugs you see here",
        "had a 1:1 with my trainer this morning, she wants functions instead of one big script",
        "Comment appeler une méthode ? Le formateur a parlé de self mais je n'ai pas compris.",
        "Der Trainer hat über Generatoren gesprochen, kannst du mir yield erklären?",
        "el profesor habló de los diccionarios, puedes explicarme cómo recorro uno?",
        "I want a one-to-one relationship between User and Profile in Django",
        "I need a 1:1 mapping between keys and values, should I use a dict?",
        "Is a 1:1 mapping possible with a dictionary comprehension?",
        "the feedback session slides are available on moodle?",
        "is there a review session recording for week 3?",
        "is the mentor session available as a recording?",
        "is the feedback session available online somewhere",
        "I need a review session model in Django with start and end fields",
        "can I join a tutoring session table with a users table in SQL?",
        "is there an office hours slot field in the API?",
        "Can anyone explain what args and kwargs are in a call?",
        "can someone explain what happens on a call?",
        "does anyone know why my recursion fails on call 3?",
        "can anyone help me detect faces in video streams?",
        "someone mentioned on zoom that we should use venv. why?",
        "Can we have a call to super() inside __init__?",
        "can we set up a call back function for the button in tkinter?",
        "I want the tool call with the agent to be async",
        "I need some time with the instructor's slides before i start the lab",
        "can i get 10 minutes of the mentor's video again? the link is broken",
        "I need about 100 hours of human annotation for my dataset",
        "Lecture was an hour with the professor today and I still don't get closures",
    ],
)
def test_talk_of_sessions_calls_and_minutes_asks_for_nobody(text: str) -> None:
    assert fired(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Mein Trainer hat noch nie mit mir gesprochen, kann ich bitte einen Termin bekommen?",
        "Mein Mentor hat seit zwei Wochen nicht mit mir geredet, kann er mich bitte anrufen?",
    ],
)
def test_a_talk_that_never_happened_is_still_a_request(text: str) -> None:
    assert fired(text) == {IntentKind.HUMAN_REQUEST}


@pytest.mark.parametrize(
    "text",
    [
        "could i get 10 minutes with " + "real " * 8000 + "?",
        "i need a call with " + "actual " * 8000 + "x",
        "half an hour with " + "real " * 8000,
    ],
)
def test_a_long_run_of_person_words_is_matched_in_linear_time(text: str) -> None:
    # Quadratic matching took over a minute on these 40,000 characters; linear takes well
    # under a second. A generous bound: this checks the shape, not the speed.
    started = time.process_time()
    fired(text)
    assert time.process_time() - started < 5


@pytest.mark.parametrize(
    "text",
    [
        "if this lab fails again i'm jumping off the bridge near my place. not joking",
        "honestly thinking about jumping off the roof tonight",
        "i keep thinking about stepping in front of a train",
        "been looking at the balcony and thinking about throwing myself off",
        "i've been logging my overdose, took 30 pills an hour ago",
        "i'm tracking my seizure, it started 5 minutes ago and won't stop",
    ],
)
def test_methods_of_self_harm_and_emergencies_are_safety_concerns(text: str) -> None:
    found = IntentDetector(None).by_rules(text)
    assert IntentKind.SAFETY in found
    assert found[IntentKind.SAFETY].kind in (SafetyKind.SELF_HARM, SafetyKind.MEDICAL)


@pytest.mark.parametrize(
    "text",
    [
        "i'd rather jump off a bridge than write java again",
        "how do i jump off the end of a loop early",
        "the train in front of me is late so i'll miss the session",
        "my character jumps off the roof in the game, how do i code gravity",
        "How do I step into the train function with pdb?",
        "how do I jump from one window to another in tkinter?",
        "sorry I'm late, I was walking from the train station",
        "jumped off the bus and ran to class, did I miss the quiz?",
        "the robot in my simulation should jump off the tower when it reaches the edge",
        "I'm throwing myself out there with a dumb question: what is a tuple?",
        "I'm a nurse and want to log overdose incidents per shift in a list of dicts",
    ],
)
def test_figures_of_jumping_and_trains_are_not_concerns(text: str) -> None:
    assert IntentKind.SAFETY not in fired(text)


async def test_a_long_message_is_read_off_the_event_loop() -> None:
    # A 40,000-character message (Slack's longest) keeps the rules busy for a good part of a
    # second: the other learners' coroutines must go on meanwhile.
    text = "i tried the loop again and my trainer said the list is wrong, " * 640
    ticks = 0
    done = asyncio.Event()

    async def tick() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            await asyncio.sleep(0)

    ticker = asyncio.create_task(tick())
    await asyncio.sleep(0)
    ticks = 0
    found = await IntentDetector(None).detect(text)
    done.set()
    await ticker
    assert found.human_request is None
    assert ticks > 0
