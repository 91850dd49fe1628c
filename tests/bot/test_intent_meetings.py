"""Requests for time with a person, a session only a person gives, or a call, and the talk about
sessions, calls and minutes that asks for nobody; methods of self-harm said in earnest; reported
speech in other languages. The rules alone, without an embedder."""

from __future__ import annotations

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
    ],
)
def test_talk_of_sessions_calls_and_minutes_asks_for_nobody(text: str) -> None:
    assert fired(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "if this lab fails again i'm jumping off the bridge near my place. not joking",
        "honestly thinking about jumping off the roof tonight",
        "i keep thinking about stepping in front of a train",
        "been looking at the balcony and thinking about throwing myself off",
    ],
)
def test_methods_of_self_harm_are_safety_concerns(text: str) -> None:
    found = IntentDetector(None).by_rules(text)
    assert IntentKind.SAFETY in found
    assert found[IntentKind.SAFETY].kind is SafetyKind.SELF_HARM


@pytest.mark.parametrize(
    "text",
    [
        "i'd rather jump off a bridge than write java again",
        "how do i jump off the end of a loop early",
        "the train in front of me is late so i'll miss the session",
        "my character jumps off the roof in the game, how do i code gravity",
    ],
)
def test_figures_of_jumping_and_trains_are_not_concerns(text: str) -> None:
    assert IntentKind.SAFETY not in fired(text)
