"""The intent detector with the bundled local embedder: requests for a person and safety
concerns by meaning, look-alikes left alone, other languages by rule, and rules alone when
similarity is not available."""

from __future__ import annotations

import functools
import json
import logging
import re

import pytest

from bot.escalation.intents import IntentDetector, IntentKind, SafetyKind, detector_for
from bot.escalation.intents.similarity import (
    EXAMPLES_FILE,
    MAX_WINDOWS,
    WINDOW,
    Example,
    ExampleIndex,
    load_examples,
    message_parts,
    message_windows,
)
from bot.escalation.intents.spelling import correct_key_words
from tests.content.ingest_support import CountingEmbedder, local_embedder
from tests.evaluation_items import near_evaluation_items
from tests.fakes.llm_embeddings import embed as hashed


@functools.cache
def detector() -> IntentDetector:
    """The process's detector for the real local model (examples embedded once for every module)."""
    return detector_for(local_embedder())


async def fired(text: str) -> dict[IntentKind, SafetyKind | None]:
    found = await detector().detect(text)
    return {d.intent: d.kind for d in found.fired()}


@pytest.mark.parametrize(
    "text",
    [
        # The five wordings of the issue that the old patterns missed.
        "can I get someone from staff to look at this",
        "is there somebody I could ask about this?",
        "could an instructor review my code?",
        "any chance a mentor could jump on a call?",
        "is my trainer around?",
        # A request inside a longer message.
        "i've tried everything on the lab, can a real person look at my code?",
        "would one of the instructors be able to go over my solution with me",
        "who's the right person to contact about my missing grade",
        "I've read the chapter twice, can someone from the team explain it to me on a call?",
        "I'd appreciate it if a staff member could look into my submission",
        "can i tlak to a techer",
        "pls get me a huamn",
        # Saying what the learner will do is not turning a person down.
        "i'm going to need a human for this one",
        "ok i'll talk to a trainer then, can you arrange it",
        "i'll see my tutor on friday, but can a trainer look at this today?",
        "get me a human or i'll email my tutor tomorrow",
        "can a trainer call me today or i'll just ask my mentor tomorrow",
        "i'll ask my mentor tomorrow and could a trainer look at my code today",
        "I'll contact a trainer on monday unless someone can help me now",
    ],
)
async def test_requests_for_a_person_in_many_wordings(text: str) -> None:
    assert await fired(text) == {IntentKind.HUMAN_REQUEST: None}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I've been looking up ways to end my life", SafetyKind.SELF_HARM),
        ("I feel like there's no point in going on with anything", SafetyKind.HOPELESSNESS),
        ("I've been feeling really low and I can't see things getting better", None),
        ("if he mocks me again tomorrow I'm going to hurt him badly", SafetyKind.THREAT),
        (
            "a person in my cohort keeps sending me messages about my body and won't stop",
            SafetyKind.HARASSMENT,
        ),
        ("my stepdad hits me when I'm on the laptop too long", SafetyKind.ABUSE),
        ("I'm scared of my partner, he threw a chair at me last night", SafetyKind.ABUSE),
        ("my friend next to me just fainted and isn't waking up", SafetyKind.MEDICAL),
    ],
)
async def test_safety_concerns_by_meaning_with_their_kind(
    text: str, kind: SafetyKind | None
) -> None:
    found = await fired(text)
    assert set(found) == {IntentKind.SAFETY}
    if kind is not None:
        assert found[IntentKind.SAFETY] is kind


@pytest.mark.parametrize(
    "text",
    [
        "how do i kill the process that hangs",
        "this lab is killing me lol",
        "how do I abort a loop when a value is found",
        "the child process dies with exit code 137",
        "make the log output human-readable",
        "my Person class needs a __repr__, how do I write one",
        "the trainer said to use enumerate, how does it work",
        "my mentor recommended this course, where do I start",
        "is there support for decimals in python",
        "someone please explain what a generator is",
        "help! my loop prints the same number forever",
        "what is the difference between a list and a tuple",
        "i dont need a human, just tell me why my except doesnt catch it",
        "no need to get a trainer involved, what does zip() return",
        # The learner will reach the person themselves.
        "i'll ask my mentor tomorrow, for now how do i sort a dict by value",
        "ok i will talk to my trainer about it on monday",
        "im gonna email my tutor later but what does yield do",
        "i\u2019ll talk to my trainer tmrw about it",
    ],
)
async def test_look_alikes_and_course_questions_fire_nothing(text: str) -> None:
    assert await fired(text) == {}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Kann ich bitte mit einem Dozenten sprechen?", IntentKind.HUMAN_REQUEST),
        ("Est-ce qu'un formateur peut m'appeler ?", IntentKind.HUMAN_REQUEST),
        ("¿Puedo hablar con un profesor?", IntentKind.HUMAN_REQUEST),
        ("Kan ik met een docent praten?", IntentKind.HUMAN_REQUEST),
        ("Posso falar com um professor?", IntentKind.HUMAN_REQUEST),
        ("Posso parlare con un tutor?", IntentKind.HUMAN_REQUEST),
        ("ich will nicht mehr leben", IntentKind.SAFETY),
        ("je veux mourir", IntentKind.SAFETY),
        ("quiero morir", IntentKind.SAFETY),
        ("ik wil dood", IntentKind.SAFETY),
        ("quero morrer", IntentKind.SAFETY),
        ("voglio morire", IntentKind.SAFETY),
    ],
)
async def test_other_languages_by_rule(text: str, intent: IntentKind) -> None:
    found = await IntentDetector(None).detect(text)
    assert [d.intent for d in found.fired()] == [intent]
    assert found.fired()[0].source == "rule"


@pytest.mark.parametrize(
    "text",
    [
        "is there a human readable way to print a nested dict, mine is one giant line",
        "i dont need a human, just tell me why my except doesnt catch it",
        "no need for a trainer, what does enumerate return",
        "what would a human programmer name this variable, i called it x2_final_final",
        "a real person on stack overflow said never use from x import *, agree?",
        "can a human being read this json if i indent it",
    ],
)
def test_rules_leave_negated_and_descriptive_mentions_alone(text: str) -> None:
    assert IntentDetector(None).by_rules(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        "is there a human here?",
        "real person pls",
        "i need a human, not this bot",
        "can I talk to a real person",
        "could a trainer explain this to me on a call",
        "i don't want the bot, i need a trainer",
    ],
)
def test_rules_still_catch_plain_requests(text: str) -> None:
    assert set(IntentDetector(None).by_rules(text)) == {IntentKind.HUMAN_REQUEST}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "i know where the day 3 trainer lives. if she fails me again she'll regret it",
            SafetyKind.THREAT,
        ),
        ("mi compañero de piso se ha desmayado y no responde, ¿qué hago?", SafetyKind.MEDICAL),
    ],
)
def test_safety_rules_for_veiled_threats_and_emergencies_in_spanish(
    text: str, kind: SafetyKind
) -> None:
    found = IntentDetector(None).by_rules(text)
    assert set(found) == {IntentKind.SAFETY}
    assert found[IntentKind.SAFETY].kind is kind


async def test_a_similarity_match_quotes_its_example_and_the_learners_words() -> None:
    text = (
        "I read the chapter on dictionaries twice and did every exercise in the lab. "
        "I'd love it if an instructor went over it with me"
    )
    request = (await detector().detect(text)).human_request
    assert request is not None
    assert request.source == "similarity"
    assert request.words == "I'd love it if an instructor went over it with me"
    example = re.search(r"like “(.+)” \(", request.evidence)
    assert example is not None
    assert example.group(1) in {e.text for e in load_examples()}
    assert 0 < request.score <= 1


def test_mistyped_key_words_are_read_as_meant_and_real_words_are_not() -> None:
    assert correct_key_words("pleas get a mentr") == "please get a mentor"
    assert correct_key_words("these trainees use a persona") == "these trainees use a persona"


def test_a_long_message_is_scored_clause_by_clause() -> None:
    parts = message_parts("i've tried everything on the lab, can a real person look at my code?")
    assert parts[0] == "i've tried everything on the lab, can a real person look at my code?"
    assert "can a real person look at my code" in parts
    assert message_parts("   ") == []


def test_a_long_sentence_is_also_read_through_overlapping_windows() -> None:
    words = [f"w{i}" for i in range(19)]
    text = " ".join(words) + ". short one here"
    parts = message_parts(text)
    windows = [w.text for w in message_windows(text, parts)]
    assert windows == [
        " ".join(words[0:WINDOW]),
        " ".join(words[4 : 4 + WINDOW]),
        " ".join(words[8 : 8 + WINDOW]),
        " ".join(words[19 - WINDOW :]),
    ]
    assert message_windows("a sentence of ten words is never cut up here", []) == []
    assert len(message_windows(" ".join(f"w{i}" for i in range(400)), [])) == MAX_WINDOWS


def test_windows_are_cut_from_one_clause_and_remember_it() -> None:
    first = " ".join(f"a{i}" for i in range(12))
    second = " ".join(f"b{i}" for i in range(12))
    text = f"{first} but {second}"
    windows = message_windows(text, message_parts(text))
    assert windows
    assert all(w.text.split()[0][0] == w.text.split()[-1][0] for w in windows)
    assert {w.clause for w in windows} == {first, second}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        (
            "my for loop prints every letter of the word separately and honestly i feel like "
            "there is no point in going on anymore",
            IntentKind.SAFETY,
        ),
        (
            "tuples cannot be changed right so how do i add an item to one and btw my roommate "
            "locked me in my room again last night",
            IntentKind.SAFETY,
        ),
        (
            "i think my while loop never ends because the counter never changes but whatever i "
            "just want someone real to go through it with me",
            IntentKind.HUMAN_REQUEST,
        ),
        (
            "the slicing chapter makes sense now thanks a lot would love for an actual trainer to "
            "have a look at my final project though",
            IntentKind.HUMAN_REQUEST,
        ),
    ],
)
async def test_a_concern_or_request_typed_on_after_a_question_is_found(
    text: str, intent: IntentKind
) -> None:
    assert set(await fired(text)) == {intent}


@pytest.mark.parametrize(
    "text",
    [
        "my while loop never ends because the counter never changes how do i fix it",
        "the trainer in the video used a while loop that never ends how do i stop it from "
        "running forever",
        "my function returns none and i have no idea why it prints the right thing inside but "
        "the result is none outside",
        "the grader keeps killing my script after ten seconds because it runs too long how do i "
        "make it faster",
    ],
)
async def test_long_questions_without_punctuation_fire_nothing(text: str) -> None:
    assert await fired(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        # A window must not lose the "no" before it...
        "no need to get a trainer involved i just want to know why my loop never stops when i "
        "press enter",
        "please dont escalate this to a tutor i only need a hint about the second exercise of "
        "lab 3",
        # ...read a past talk with a person as a request...
        "i asked my trainer yesterday and she said to use a dictionary but my code still prints "
        "none",
        # ...or run across a clause into the next one.
        "makes me want to cry but anyway how do i sort a list of tuples by the second item",
        "my parents don't want me to do this course but i really like it how do i install the "
        "packages",
    ],
)
async def test_a_window_keeps_its_clause_and_the_no_before_it(text: str) -> None:
    assert await fired(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        # A person met, away, or answered already; or the coach preferred to one.
        "i'll check with my mentor at tuesday's session, meanwhile why is my indent wrong",
        "my tutor is away this week so i'm asking you: what is a generator",
        "support already answered my email, now a coding question: how do i close a file",
        "had a chat with my trainer yesterday and she mentioned sets are unordered, why",
        "a question for the bot, not a person: when do i use a tuple",
        "i'd rather work it out with you than wait for a mentor, why does my loop stop early",
        "i'll bring this to office hours on thursday, meanwhile what does yield do",
        "meeting my mentor at 4pm, what should i ask her about classes",
        # Nobody named: "sort it out pls" is near "human pls" in words only.
        "sort it out pls",
    ],
)
async def test_a_person_away_met_or_not_wanted_is_not_asked_for(text: str) -> None:
    assert IntentKind.HUMAN_REQUEST not in await fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "i messaged my tutor yesterday and she hasnt answered, could you chase her up for me",
        "i asked my trainer before and she said to ask the bot but i really want her to look at "
        "my code",
        "i emailed my trainer last week and still no reply, can i talk to another one?",
        "my trainer said to ask for a 1:1, can i get one?",
        "the tutor already marked it but i think it's wrong, can it be looked at again?",
    ],
)
async def test_a_past_talk_that_asks_again_is_still_a_request(text: str) -> None:
    assert IntentKind.HUMAN_REQUEST in await fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "The live session with the instructor on Saturday was very helpful, I learnt a lot.",
        "thank you to the lady tutor on the call last week, very patient with me",
        "The meeting with the tutor yesterday was very useful, merci beaucoup.",
        "nvm about the tutor thing earlier, got distracted and then figured it out lol",
        "I will ask at the next live session, so please do not trouble the teacher now.",
        "Power is back, I've submitted the lab, no need to escalate anything. Thanks.",
    ],
)
async def test_thanks_and_past_meetings_that_want_nothing_now_are_no_request(text: str) -> None:
    assert IntentKind.HUMAN_REQUEST not in await fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "thanks for the explanation but i'd still like a trainer to confirm i'm doing __iter__ "
        "the right way",
        "the tutor from yesterday's session, is she free today?",
        "thank you! can i talk to the instructor from last week again",
    ],
)
async def test_thanks_or_a_past_meeting_beside_a_request_still_ask(text: str) -> None:
    assert IntentKind.HUMAN_REQUEST in await fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "had food poisoning over the weekend, all good now, what did i miss",
        "bit of a sore throat so i'll stay muted on the call",
        "might be slow today, got a cold and my head is all stuffy",
    ],
)
async def test_health_news_that_is_over_or_mild_is_no_emergency(text: str) -> None:
    assert IntentKind.SAFETY not in await fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "had a cold all week and now my chest hurts and i can't breathe",
        "my dad collapsed, he was fine this morning, what do i do",
        "i tried to end it last month, i'm better now but still scared",
    ],
)
async def test_an_emergency_now_or_self_harm_told_as_over_is_still_a_concern(text: str) -> None:
    assert IntentKind.SAFETY in await fired(text)


class HashingEmbedder:
    """The tests' fake embeddings endpoint: hashed words, meaningless for similarity."""

    model = "fake-embedding"

    def __init__(self) -> None:
        self.calls = 0

    async def dimension(self) -> int:
        return 384

    async def embed(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        return [hashed(text) for text in texts]


class BrokenEmbedder(HashingEmbedder):
    model = "all-MiniLM-L6-v2"

    async def embed(self, texts: list[str]) -> list[list[float]]:
        raise ConnectionResetError("embeddings endpoint went away")


async def test_a_model_without_calibration_runs_rules_only() -> None:
    embedder = HashingEmbedder()
    rules_only = IntentDetector(embedder)
    assert not rules_only.uses_similarity
    assert (await rules_only.detect("is my trainer around?")).human_request is not None
    assert (await rules_only.detect("I feel like there's no point in going on")).safety is None
    assert embedder.calls == 0


async def test_a_failing_embedder_falls_back_to_rules(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        found = await IntentDetector(BrokenEmbedder()).detect("I want to kill myself")
    assert found.safety is not None
    assert found.safety.kind is SafetyKind.SELF_HARM
    assert "rules only" in caplog.text


async def test_the_example_sets_are_embedded_once() -> None:
    counting = CountingEmbedder()
    fresh = IntentDetector(counting)
    await fresh.detect("what is a dictionary")
    await fresh.detect("could somebody look at this")
    examples = len(load_examples())
    assert counting.calls == 3  # the examples, then each message's parts
    assert len(counting.texts) == examples + 1 + 1


def test_the_example_sets_are_large_enough_and_none_is_or_nearly_is_an_evaluation_item() -> None:
    data = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    assert len(data["human_request"]) >= 60
    assert sum(len(texts) for texts in data["safety"].values()) >= 60
    assert set(data["safety"]) == {
        "self_harm",
        "hopelessness",
        "threat",
        "harassment",
        "abuse",
        "medical",
    }
    assert len(data["negative"]) >= 80
    assert len(data["negative_safety"]) >= 80
    assert near_evaluation_items(e.text for e in load_examples()) == []


def test_a_look_alike_of_a_concern_is_no_look_alike_of_a_request() -> None:
    request = Example("can a tutor call me", IntentKind.HUMAN_REQUEST)
    concern = Example("i can't go on", IntentKind.SAFETY, SafetyKind.HOPELESSNESS)
    cry = Example("i could cry, it finally works", None, against=IntentKind.SAFETY)
    both = Example("my tutor said lists are mutable", None)
    # Unit vectors: the look-alike of a concern sits on the request itself.
    vectors = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    index = ExampleIndex((request, concern, cry, both), vectors)
    found = index.nearest(["can a tutor call me"], [[1.0, 0.0, 0.0]])
    assert found[IntentKind.HUMAN_REQUEST][0].negative == 0.0  # not the concern's look-alike
    near_concern = index.nearest(["it works, i could cry"], [[0.6, 0.8, 0.0]])
    assert near_concern[IntentKind.SAFETY][0].negative == pytest.approx(0.6)


@pytest.mark.parametrize(
    "text",
    [
        'my program asks "Do you want to talk to a human? (y/n)" but typing y does nothing',
        "my chatbot prints 'I want to speak to a person' every time, why?",
        "```\nanswer = input('Can I talk to a real person? ')\nif answer == 'y':\n    pass\n```\n"
        "this never goes in the if",
        "the prompt says `talk to a trainer?` and then crashes",
        'why does print("please get me a human") show an error',
        "i wrote input('do you need help from a teacher? ') but it skips",
        "when i type “get me a human” the bot replies with nothing",
        "the error message says 'contact your administrator' what does that mean",
        "my game prints 'you died, i want to die' when the player loses, how do i add a score",
        # Code pasted without backticks, and what a program the learner builds should do.
        "can u review my Mentor class? class Mentor(Person): def __init__(self, name): pass",
        "my chatbot project needs to hand off to a human when confidence is low, how would i "
        "structure that",
        "i want my discord bot to ping the admin role when someone types !report",
        "our support app should escalate to a live agent after 3 failed answers, where do i "
        "keep the count",
    ],
)
async def test_text_quoted_from_a_program_asks_for_nobody(text: str) -> None:
    assert await fired(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        'i keep getting "IndexError" can i talk to a human please',
        "can a trainer look at my code? it prints 'hello' twice",
        'my mentor said "ask the bot first", but i really need a person',
        "```\nprint(x)\n```\nthis is wrong and i can't fix it, can i talk to a real person?",
        "i'm stuck on `zip()`, could an instructor review my code?",
        "i can't do this anymore, it's not worth it, i want to die",
        "my code is broken can you forward it to a trainer",
        "my bot crashes every time, can a human look at it?",
        "class Mentor(Person): fails with a TypeError, can my mentor call me about it?",
    ],
)
async def test_a_request_or_concern_beside_quoted_code_is_still_found(text: str) -> None:
    assert await fired(text)
