"""Messages that only sound alarming: figures of speech, sport and news watched from the sofa,
health news that is over. None is a safety concern; the concerns worded beside them still are."""

from __future__ import annotations

import pytest

from bot.escalation.intents import IntentDetector, IntentKind
from bot.escalation.intents.over import medical_matter_over
from tests.bot.test_intents import fired


@pytest.mark.parametrize(
    "text",
    [
        "my script is overdosing on print statements, how do i quiet it down",
        "the app is overdosing on logging output, 5k lines a second",
        "simulating a lander, can the suicide burn be a simple while loop",
        "i fainted at the dentist years ago, anyway how do i slice a string",
        "is it harassment if my crawler hits the same site every second",
        "if my tutor reads this code he'll have a heart attack lol",
        "we did a suicide prevention workshop at work, really good, now back to loops",
        "thinking about ending it early today, this lab is long, can i stop at exercise 3",
        "thinking of ending it with my boyfriend, anyway what does zip do",
    ],
)
def test_figures_and_old_news_fire_no_safety_rule(text: str) -> None:
    assert IntentKind.SAFETY not in IntentDetector(None).by_rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "i overdosed on my sleeping pills an hour ago",
        "my friend just fainted and won't wake up",
        "i keep thinking about suicide",
        "i want to die for real, i mean it",
        "a guy from the course keeps harassing me with a bot that spams my dms",
        "cant focus, i keep thinking about ending it. why does my loop even matter",
        "i fainted once years ago and just now i fainted again in the kitchen",
    ],
)
def test_the_same_words_about_now_and_oneself_still_fire(text: str) -> None:
    assert IntentKind.SAFETY in IntentDetector(None).by_rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "broke my arm in the summer, the cast came off and i can type properly again",
        "got my stitches out this morning, both hands work again",
        "nursing a hangover today so go easy on me, what does zip do",
        "my mum was in hospital for a week but she's home now and doing well",
        "lost my voice to a cold so i'll be on mute today",
    ],
)
def test_more_health_news_that_is_over(text: str) -> None:
    assert medical_matter_over(text)


@pytest.mark.parametrize(
    "text",
    [
        "these list comprehensions will be the death of me",
        "dying over here, why does round(2.5) give 2",
        "i could pass out from happiness, my bank account lab passes",
        "the generators lecture flew so far over my head it burst",
        "did anyone see the knockout in the boxing last night, wild",
        "watched a documentary about a murder case and barely slept lol, anyway dict question",
        "the news about the explosion abroad was on all day, now back to the lab",
        "finished counselling last spring and feel great, that's why i finally signed up",
        "grandpa is out of hospital and back to his usual grumpy self",
        "that cake was to die for, anyway what does enumerate return",
        "these nested loops in my gradebook will be the end of me",
        "bit gutted about my quiz score but i'll get over it, what did i get wrong",
        "my elf character got poisoned in the dungeon again",
        "my cousin headshot me ten times in fortnite tonight",
        "who do i tell about spam links in the general channel",
    ],
)
async def test_alarming_sounding_messages_are_no_concern(text: str) -> None:
    assert IntentKind.SAFETY not in await fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "i don't see the point of going on anymore, not just the course, everything",
        "my boyfriend hit me again last night and i'm scared to go home",
        "someone in the cohort keeps sending me sexual messages and won't stop",
        "my friend collapsed and isn't breathing, what do i do",
        "i've been giving my things away, i won't need them soon",
        "every time a test fails i bang my head against the wall, for real, it hurts",
        "fell down the stairs, my knee is swollen and i can't stand up",
    ],
)
async def test_concerns_beside_them_are_still_found(text: str) -> None:
    assert IntentKind.SAFETY in await fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "is a good chef's knife worth the money or is a cheap set fine",
        "how do i ask my housemate to stop leaving dishes in the sink",
        "the bank wants a proof of address but i only just moved in",
        "how do i get tomato sauce out of a rug",
        "is running every day ok or should i take rest days",
    ],
)
async def test_everyday_questions_are_no_concern(text: str) -> None:
    assert IntentKind.SAFETY not in await fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "ich sterbe vor neugier, wie sieht die musterlösung aus?",
        "me muero de ganas de empezar con las clases.",
        "je meurs d'impatience de voir la correction",
        "tô morrendo de curiosidade pra ver o gabarito",
        "muoio dalla curiosità, quando esce la soluzione?",
        "ik ga dood van nieuwsgierigheid, wanneer komt de oplossing",
    ],
)
async def test_dying_of_curiosity_in_other_languages_is_no_concern(text: str) -> None:
    assert IntentKind.SAFETY not in await fired(text)


@pytest.mark.parametrize(
    "text",
    ["ich will nicht mehr leben", "me quiero morir", "je veux mourir", "quero morrer"],
)
async def test_wanting_to_die_in_other_languages_is_still_a_concern(text: str) -> None:
    assert IntentKind.SAFETY in await fired(text)
