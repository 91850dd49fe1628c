"""The rules alone (no embedder): requests for a person, threats and harassment in the many
ways learners put them, and the programming talk and everyday complaints that only sound like
them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from bot.escalation.intents import IntentDetector, IntentKind, SafetyKind
from bot.escalation.intents.rule import Rule
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
        "he is going to pay for this\nhe deleted my whole project on purpose",
        "i'm bringing my dad's gun to the meetup on friday",
        "i want to shoot up the office",
        "i'll make her suffer for failing me",
        "i want to hurt the trainer who failed me",
        "ill kill him if he says that again",
        "imma stab him after class",
        "i'll kill u",
        "i'll make them all pay",
        "i'll slit his throat",
        "i'll beat the crap out of him",
        "i'm going to blow up the building",
        "i will find him and hurt him",
        "im gonna go over there and punch him",
        "he's dead when i see him",
        "i want him dead",
        "i'll f***ing kill him",
        "i'm going to shoot the place up",
        "you're a dead man",
        "i'll burn his house down",
        "he's going to regret this",
        "someone is going to get hurt tomorrow",
        "i'm coming with a gun",
        "i'll kill every one of you",
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
        "he sent me a dick pic last night",
        "a guy from the course followed me to the bus stop",
        "my mentor keeps making sexual jokes about me",
        "he posted my number in the group chat",
        "my trainer keeps texting me at night and it makes me uncomfortable",
        "a guy in my cohort keeps hitting on me",
        "he keeps asking me out even though i said no",
        "someone keeps messaging me even after i blocked them",
        "he sent me porn",
        "they keep calling me names in the group chat",
        "he tried to kiss me after the meetup",
        "a trainer asked me for sex for a better grade",
        "someone made a fake account pretending to be me",
        "he follows me around at the meetups",
        "he waits outside my house",
        "someone shared my photos without permission",
        "the mentor keeps dming me creepy stuff",
        "my trainer said he'd fail me unless i go on a date with him",
    ],
)
def test_harassment_in_many_wordings(text: str) -> None:
    assert rule_kind(text) is SafetyKind.HARASSMENT


@pytest.mark.parametrize(
    "text",
    [
        "ich werde den Trainer schlagen",
        "je vais tuer le formateur",
        "voy a matarlo",
        "vou bater nele",
    ],
)
def test_threats_in_other_languages(text: str) -> None:
    assert rule_kind(text) is SafetyKind.THREAT


class CountingPattern:
    """A compiled pattern that counts how often a text is scanned with it."""

    def __init__(self, pattern: str) -> None:
        self.pattern, self.scans = re.compile(pattern), 0

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        self.scans += 1
        return self.pattern.finditer(text)


def test_a_rule_scans_a_message_for_its_exceptions_once() -> None:
    unless = CountingPattern(r"trainer hat gesagt")
    rule = Rule("t", IntentKind.HUMAN_REQUEST, re.compile("trainer"), unless=unless)  # type: ignore[arg-type]
    text = "mein trainer hat gesagt, " * 500 + "ich will einen trainer"
    assert [m.start() for m in rule.matches(text)] == [len(text) - len("trainer")]
    assert unless.scans == 1


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
        "i'm going to attack this class of bugs",
        "i'll kill that class and rewrite it",
        "gonna beat up the final boss tonight",
        "i'll just kill everyone's jobs on the cluster",
        "don't bash your head against it",
        "recursion will break your head",
        "like bringing a gun to a knife fight",
        "bringing his nerf gun to the meetup lol",
        "why does memory shoot up the moment i load the csv",
        "mutable defaults will make you regret it",
        "if you use eval() on input, watch your back",
        "my employer said they'll pay for this bootcamp",
        "on aws you'll pay for what you use",
        "that talk on open source really touched me",
        "my mentor grabbed me a coffee before the session",
        "i left comments on my body tag",
        "a classifier that detects racist comments in my moderation bot",
        "the dog followed me home",
        "i shared my address with the course office",
        "heart attack prediction dataset, how do i load it",
        "the trainer passed out worksheets",
        "we covered unconscious bias in the workshop",
        "is the thread going to die when main ends?",
        "why does the worker not wake up after time.sleep",
        "i need to cut myself some slack",
        "number of suicides per year by country",
        "harassment reports by city for my project",
        "the bully algorithm for leader election",
        "i keep stalking the github issues for a fix",
        "unwanted messages from the kafka queue pile up",
    ],
)
def test_programming_talk_and_complaints_are_not_threats_or_harassment(text: str) -> None:
    assert rule_kind(text) is None


def test_no_safety_rule_matches_a_look_alike_of_the_example_bank() -> None:
    data = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    look_alikes = data["negative"] + data["negative_safety"]
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
        "please ask a trainer to call me",
        "have a trainer contact me",
        "i need help from a trainer",
        "put me in touch with a trainer",
        "please get a trainer",
        "can i have a word with my trainer",
        "is ther a human i can talk to",
        "my tutor asked for a table, can she check it?",
        "let me talk to your supervisor",
        "could an expert look at my error?",
        "operator please",
        "pls connect me w a trainer",
        "i want a 1:1 with a trainer",
        "tell my trainer i need help",
        "let a trainer know im stuck",
        "get a trainer in here pls",
        "id love a trainer to look at this",
        "i demand a human",
        "talk 2 a human",
        "speak w/ a trainer",
        "when can i meet my mentor",
        "can i ring a trainer",
        "need a person to explain this",
        "trainer?",
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
        "my instructor gave two solutions, can you tell them apart?",
        "my trainer writes clean code, how can he explain it so simply?",
        "my trainer said sets are fast, would he check membership with in?",
        "my trainer uses a mac, will he check windows paths too?",
        "my trainer said her daughter is learning python too, can she join the free course?",
        "my manager wants me to learn asyncio, should i set up a meeting with them?",
        "someone on the team at work uses black, should i?",
        "talk to the manager in multiprocessing, how?",
        "i need an operator that does integer division",
        "i want an agent that calls tools",
        "is the operator in python overloadable",
        "is there a real string type in python",
        "can i see the expert solution for lab 2",
        "i need some stuff explained about loops",
        "the model is trained now, how do i save it",
        "i met trainer sarah at the meetup, she uses vim",
        "a real tutor on youtube explained it differently",
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
        "meine Dozentin hat uns gestern im Kurs ganz ausführlich gezeigt, wie dict.get geht",
        "j'ai déjà parlé avec mon formateur, merci",
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
        "ich will selbst mit einem Trainer sprechen",
        "ik wil zelf met een docent praten",
        "je ne peux pas avancer sans un formateur, pouvez-vous m'en trouver un ?",
    ],
)
def test_a_request_beside_a_mention_still_asks(text: str) -> None:
    assert set(IntentDetector(None).by_rules(text)) == {IntentKind.HUMAN_REQUEST}


@pytest.mark.parametrize(
    "text",
    [
        "i'll shoot you a message when lab 3 is done",
        "gonna shoot the trainer an email about the deadline",
        "the zombie processes keep piling up, i'm going to kill them with pkill",
        "i'll kill the next thread that hangs",
        "how do i make them pay with stripe before the download in my flask app",
        "the config files, i don't know where they live on disk",
        "the api was abused by bots so they added rate limits",
        "is this an abusive use of list comprehensions?",
        "our nlp project flags sexist jokes and sexual comments in tweets",
        "i overdosed on coffee before the exam lol",
        "i can't breathe, this lab is so funny",
        "why is the fan so loud, my laptop can't breathe",
        "i passed out on the couch after lab 4",
        "i almost fainted when i saw my grade",
        "the hospital sim models a medical emergency queue with heapq",
        "my script passed out of the loop early",
        "does sys.exit() end it all or just the thread",
        "i'll hurt myself trying to understand metaclasses lol",
        "el dataset de suicidio por país, ¿cómo lo agrupo?",
        "he was bullied into using java at his last job lol",
        "the bully pattern in my game's npc ai",
        "my script needs to talk to an agent api",
        "i read some advice from an expert on realpython",
        "how do i get the human to pick a square in tic tac toe",
        "i want the human to reply with y or n",
        "i have a mentor on linkedin who suggested this course",
        "someone from the course forum said to use pathlib",
        "can i have a human player vs computer in the game lab",
        "can we see the trainer's slides from monday",
        "can i get the teacher version of the notebook",
        "my teacher now requires type hints, how do i add them",
        "make the chatbot reply like a real human",
        "the dataset comes from real people",
        "i'm using the user token not the bot token",
        "i don't think i need to talk to a person for this, just explain zip",
        "who is our trainer's favourite editor lol",
        "do i need a mentor for the capstone or is it solo?",
        "will the trainer mark late submissions or just give zero?",
        "the trainer can reply on weekends too? just wondering",
        "i need a coach class with capacity and a list of passengers",
        "Wie erstelle ich eine Klasse für eine Person mit Name und Alter?",
        "Der Trainer ist heute krank, fällt der Kurs aus?",
        "Ich brauche keinen echten Menschen, erklär mir einfach die Schleife",
        "Ich will nicht mit einem Trainer sprechen, nur eine Antwort",
        "mit meinem Tutor habe ich schon gesprochen, alles gut",
        "mon prof est malade aujourd'hui, le cours est annulé ?",
        "je n'ai plus besoin d'un formateur, merci, c'est réglé",
        "je ne veux parler avec personne, juste une réponse",
        "¿cómo guardo el nombre de una persona en un diccionario?",
        "el profesor llegó tarde hoy, ¿hay grabación?",
        "no necesito hablar con un profesor, solo explícame el for",
        "ya hablé con profesor Juan, gracias",
        "de docent was ziek, gaat de les door?",
        "já falei com meu tutor, está resolvido",
        "não preciso falar com um professor, só explica o for",
        "il prof oggi è malato, la lezione è annullata?",
        "non voglio parlare con un tutor, spiegami solo il ciclo for",
        "so um mentor said we should use venv, is conda ok too",
    ],
)
def test_more_look_alikes_fire_no_rule(text: str) -> None:
    assert IntentDetector(None).by_rules(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        "i want to talk to a trainer. my loop is broken",
        "i want to escalate this. the grader is wrong and you keep telling me the same thing",
        "can i get someone from staff. thx",
        "i need a human. now",
        "could you get me a mentor... this is taking forever",
        "i'd like to speak with a tutor - asap",
        "can i talk to an instructor.\nthe lab is due tomorrow",
    ],
)
def test_a_request_at_the_end_of_a_sentence_still_asks(text: str) -> None:
    assert set(IntentDetector(None).by_rules(text)) == {IntentKind.HUMAN_REQUEST}


@pytest.mark.parametrize(
    "text",
    [
        "i want to talk to a person.name attribute, how",
        "need a human-readable date",
        "i want a human.player variable",
        "get me a trainer.py example",
        "talk to a human[0] in the list",
    ],
)
def test_a_person_word_joined_to_code_is_not_a_request(text: str) -> None:
    assert IntentDetector(None).by_rules(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        "pls forward this to whoever marks the assignments: question 4 has a typo",
        "can i contact whoever runs the course about my certificate",
        "can i talk to whoever's in charge of the labs",
        "is dr. okafor free on monday",
        "is prof anna lindqvist available in the afternoon",
        "is Dr. Okafor available for a quick chat after the lecture tomorrow?",
        "is prof lindqvist around today",
        "is ms. chen free this afternoon? i'm stuck on lab 3",
    ],
)
def test_whoever_marks_and_titled_names_are_people(text: str) -> None:
    assert set(IntentDetector(None).by_rules(text)) == {IntentKind.HUMAN_REQUEST}


@pytest.mark.parametrize(
    "text",
    [
        "i want whoever runs my script to see a friendly error message instead of a traceback",
        "hand it over to whoever manages the thread pool and let it finish",
        "is mr. robot available on netflix, asking for a friend lol",
        "is ms office free for students",
        "is ms teams free on the course laptop",
        "is dr. java free",
        "is dr. seuss available as an ebook for my kid",
    ],
)
def test_whoever_and_titles_without_a_request_are_not_one(text: str) -> None:
    assert IntentDetector(None).by_rules(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        "my mentor said he'd pass my project only if i meet him for drinks. is that allowed??",
        "the marker says he will only grade my lab if i go out with him",
        "my tutor offered to sign off my certificate in exchange for a date",
        "he said he'd give me an A if i went out with him",
        "my tutor will only approve my project if i sleep with her",
    ],
)
def test_grades_for_favours_are_harassment(text: str) -> None:
    assert rule_kind(text) is SafetyKind.HARASSMENT


@pytest.mark.parametrize(
    "text",
    [
        "my test only passes if i format the date first",
        "the grader marks it right only if i mock the date",
        "my function only passes if i meet them all",
        "the linter passes only if i kiss, keep it simple",
        "it passes only if i see them in the right order",
    ],
)
def test_conditions_on_passing_tests_are_not_harassment(text: str) -> None:
    assert rule_kind(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "can  a  human  double  check  my  grade",
        "could  i  arrange  a  one  to  one  with  the  tutor",
        "ok so\nenough with the ai, put a human on\nthanks",
        "tutor now\nthe lab is due tonight",
    ],
)
def test_spacing_and_line_breaks_do_not_hide_a_request(text: str) -> None:
    assert set(IntentDetector(None).by_rules(text)) == {IntentKind.HUMAN_REQUEST}


@pytest.mark.parametrize(
    "text",
    [
        "do  i need a human to grade this or is it automatic",
        "my tutor set this lab, how  could he look at my code if the repo is private",
    ],
)
def test_spacing_does_not_turn_a_question_into_a_request(text: str) -> None:
    assert IntentDetector(None).by_rules(text) == {}


def test_two_spaces_do_not_hide_a_safety_concern() -> None:
    text = "a guy from the cohort found my instagram and won't stop messaging me".replace(" ", "  ")
    assert rule_kind(text) is SafetyKind.HARASSMENT


@pytest.mark.parametrize(
    "text",
    [
        "it'd help if one of the tutors could chime in on my lab 3 answer",
        "is maria free tomorrow? i'd like to go over my project with her",
        "can the actual marker explain why i lost points on lab 4",
        "could a person go through my answer for lab 2",
        "¿hay algún tutor disponible hoy?",
    ],
)
def test_more_ways_of_asking_for_a_person(text: str) -> None:
    assert set(IntentDetector(None).by_rules(text)) == {IntentKind.HUMAN_REQUEST}


@pytest.mark.parametrize(
    "text",
    [
        "can a person check out more than one book in my library class",
        "is pycharm free for students? i want to install it with her laptop",
        "the pytest marker for slow tests, how do i add one",
    ],
)
def test_people_and_markers_in_code_ask_for_nobody(text: str) -> None:
    assert IntentDetector(None).by_rules(text) == {}


def test_a_plan_to_end_it_soon_is_a_concern_and_ending_a_loop_is_not() -> None:
    assert rule_kind("i'm planning to end it this weekend, the deadline doesn't matter") is (
        SafetyKind.SELF_HARM
    )
    assert rule_kind("my loop runs forever, i'm going to end it with a break") is None


@pytest.mark.parametrize(
    "text",
    [
        "is dr lee online right now",
        "is prof kim here yet?",
        "is ms. chen free after 3",
        "is mr. jones available i have a question",
        "i just cant do this human please",
        "i cant do this get me a human",
        "pls pass this on to whoever runs the program",
        "don't bother my tutor, can you ask the programme lead to call me",
    ],
)
def test_titles_leads_and_cant_do_this_still_ask(text: str) -> None:
    assert set(IntentDetector(None).by_rules(text)) == {IntentKind.HUMAN_REQUEST}


@pytest.mark.parametrize(
    "text",
    [
        "is ms visual studio free?",
        "is ms power bi free for students",
        "i want whoever is running the module to pass a flag",
        "had a chat with my trainer yesterday and she mentioned sets are unordered, why",
    ],
)
def test_products_code_and_past_talks_ask_for_nobody(text: str) -> None:
    assert IntentDetector(None).by_rules(text) == {}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("apparently i only pass the module if i sleep with the lecturer", SafetyKind.HARASSMENT),
        ("he said he'd pass me if i date him", SafetyKind.HARASSMENT),
        ("she said she'll pass the notes on if i see her tomorrow", None),
        ("my trainer will only sign off my capstone if i meet with him to walk through it", None),
        ("they said the pass mark is 50% and if i go with them i should be ok", None),
    ],
)
def test_favours_are_social_and_meetings_about_work_are_not(
    text: str, kind: SafetyKind | None
) -> None:
    assert rule_kind(text) is kind


@pytest.mark.parametrize(
    "text",
    [
        "any chance of a 1:1 before friday? i'm lost on generators",
        "is anna around? i wanted her to explain the feedback on my contact book",
        "can you get marco to message me about my extension",
        "sorry but a bot isn't going to cut it, my certificate never arrived",
        "can i get a second opinion on my day 3 lab mark",
        "i'd like to appeal my grade for the bank account lab",
        "can i have my submission re-marked please",
        "i think the test is wrong and i want it checked by whoever wrote the grader",
        "could whoever signs the certificates off do one for me",
        "quiero que alguien mire mi código del lab 2",
    ],
)
def test_indirect_requests_for_a_person(text: str) -> None:
    assert set(IntentDetector(None).by_rules(text)) == {IntentKind.HUMAN_REQUEST}


@pytest.mark.parametrize(
    "text",
    [
        "is there a 1:1 mapping between keys and values in a dict",
        "can you get python to print without a newline",
        "how is the grade for lab 2 calculated",
        "the bot in my game can't cut the rope, how do i fix the physics",
    ],
)
def test_look_alikes_of_indirect_requests_ask_for_nobody(text: str) -> None:
    assert IntentDetector(None).by_rules(text) == {}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "why finish the course when i won't even be alive for the certificate",
            SafetyKind.SELF_HARM,
        ),
        ("at the next session i'm bringing something to sort that trainer out", SafetyKind.THREAT),
        ("if this lab takes another hour i'm going to die lol", None),
        ("should a worker process commit suicide with os.kill or just exit", None),
    ],
)
def test_understated_concerns_and_their_figures_of_speech(
    text: str, kind: SafetyKind | None
) -> None:
    assert rule_kind(text) is kind


@pytest.mark.parametrize(
    "text",
    [
        "can i get an extension on the contact book lab? i was ill",
        "need a 2 day extention pls",
        "could i hand it in a day late?",
        "can my lab 4 deadline be pushed to monday",
        "my certificate still hasn't arrived, it's been a month",
        "the name on my certificate is misspelt",
    ],
)
def test_what_only_staff_can_grant_asks_for_a_person(text: str) -> None:
    assert set(IntentDetector(None).by_rules(text)) == {IntentKind.HUMAN_REQUEST}


@pytest.mark.parametrize(
    "text",
    [
        "i need an extension for vscode to run python",
        "how do i get the file extension of a path",
        "i want an extension method like in c#",
        "requests says certificate verify failed, how do i fix it",
        "do i need to hand in the lab or is it just practice",
    ],
)
def test_extensions_and_certificates_in_code_ask_for_nobody(text: str) -> None:
    assert IntentDetector(None).by_rules(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        "who do i email about my lab mark",
        "whom do i contact if the grader is broken",
        "who decides whether i pass the course",
        "who can approve an extension",
        "who's the person to ask about deadlines",
        "this needs someone with authority to decide",
        "let the trainers know the grader is down",
        "please have somebody look at the grader, it's broken",
        "i'm not getting anywhere with you, is there a person i can ask",
    ],
)
def test_asking_whom_to_ask_asks_for_a_person(text: str) -> None:
    assert set(IntentDetector(None).by_rules(text)) == {IntentKind.HUMAN_REQUEST}


@pytest.mark.parametrize(
    "text",
    [
        "who decides the order of dict keys",
        "who can see my private methods in python",
        "who marks the end of a string in c",
        "let the user know the input is invalid",
    ],
)
def test_who_in_code_asks_for_nobody(text: str) -> None:
    assert IntentDetector(None).by_rules(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        "could you let priya know i'll miss tonight's session",
        "can the marker have another look at question 3",
        "could you remind him, or have someone else pick it up?",
        "we'd like to book a group session with a tutor on sets",
        "can someone from the office fix my enrolment",
        "if a mentor's got five minutes today i'd love a proper look",
        "could you ask the trainers whether i can use a notebook instead",
        "my 1:1 got cancelled, can someone rebook it",
        "could someone with admin access change my display name",
        "can the instructor who wrote it clarify section 2",
        "can a TA just tell me if my answer is right",
    ],
)
def test_messages_passed_on_and_people_who_can_act(text: str) -> None:
    assert set(IntentDetector(None).by_rules(text)) == {IntentKind.HUMAN_REQUEST}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("if they fail me i will burn the office down", SafetyKind.THREAT),
        ("i know where he lives and i'm going round there with a hammer", SafetyKind.THREAT),
        ("my laptop is going to die, where is the charger", None),
        ("i can't breathe, this error message is the funniest thing i've seen", None),
        ("i almost passed out from shock when i saw 100%", None),
    ],
)
def test_threats_with_places_and_tools_and_their_figures_of_speech(
    text: str, kind: SafetyKind | None
) -> None:
    assert rule_kind(text) is kind


@pytest.mark.parametrize(
    "text",
    [
        "print a message to let the human know it's their turn",
        "in tic tac toe how can you ask the human for their move",
        "can you get cron to email me the log every morning",
        "can you tell django to email me when a user signs up",
        "how would you ping them all with subprocess",
        "how would you let users know that the form is invalid",
        "i want the marker to be red in my scatter plot",
        "could the marker look like a triangle instead",
        "i need a marker at the maximum point",
        "i need the ta library for the rsi indicator",
        "i want the ta indicators from pandas-ta",
        "who should i call first, __new__ or __init__?",
        "who do i call to get the length, len() or .size?",
        "who can change the deadline in my asyncio.wait_for call",
        "who can change the grades, only the setter?",
        "in flask, who handles the form submissions",
        "can my deadline be pushed if asyncio.wait_for times out?",
        "can i get an extension on the file so it saves as csv",
        "i want an extension i can install in vscode for linting",
        "my certificate hasn't arrived, pip says ssl certificate verify failed",
        "the certificate never came back from the ca, so requests fails",
        "the script needs someone with admin rights to run it?",
        "only someone with access to the records table can query it in sqlite?",
        "block anyone from finance seeing the salary column",
        "prevent anyone from administering the database",
        "each assignment is marked by a teacher object",
        "i need the head of the department to be a foreign key to Employee",
        "i want the examiner to be able to add questions",
        "i need the lab grader to accept floats",
        "can a Person call this method or only Student",
        "is ms onedrive free to use?",
        "why does it need a human to approve each step in the langgraph agent?",
    ],
)
def test_people_words_in_code_and_tools_ask_for_nobody(text: str) -> None:
    assert IntentDetector(None).by_rules(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        "i told my mentor i need a trainer before friday",
        "i told my tutor i want a human before the deadline",
        "my tutor is off sick and i need someone from staff, so i'm asking you to find me one",
    ],
)
def test_a_request_told_about_a_person_still_asks(text: str) -> None:
    assert set(IntentDetector(None).by_rules(text)) == {IntentKind.HUMAN_REQUEST}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("after join() the worker thread won't be alive anymore, right?", None),
        ("my pycharm trial is annoying, i'm planning to end it this week", None),
        ("in my text adventure the dragon will burn down the house if you wait", None),
        ("my list keeps coming back unsorted, i want to sort them out for good", None),
        ("i'm going with a rifle class that inherits from weapon", None),
        ("for the flaky tests i'm bringing something to deal with them", None),
        ("i won't be around much longer, thanks for everything", SafetyKind.SELF_HARM),
        ("i'm going to end it here for good, goodbye everyone", SafetyKind.SELF_HARM),
        ("had a nosebleed that won't stop and i feel dizzy", SafetyKind.MEDICAL),
        ("my dad keeps hitting me when i'm in the live session", SafetyKind.ABUSE),
    ],
)
def test_concerns_said_of_oneself_and_the_same_words_said_of_code(
    text: str, kind: SafetyKind | None
) -> None:
    assert rule_kind(text) is kind


@pytest.mark.parametrize(
    "text",
    [
        "I've read the docs, watched the video, asked you twice. Time for a human I think.",
        "ok i think it's time to get a trainer involved",
        "is there an actual instructor reading these or is it all automated",
        "is this a real person answering?",
        "can someone real check my quiz score? pretty sure I answered q3 right",
        "i just want somebody human to look at it",
        "Is there a teacher who can explain the difference between is and == in person?",
        "is there any tutor who could go over my lab",
        "Could someone reply in the thread under my question in #help? It's been two days.",
        "can anybody get back to me about my resubmission",
        "Wanted to ask whoever runs the course whether the deadline for lab 9 can be moved",
        "can i email whoever teaches the cohort about this",
    ],
)
def test_wanting_a_person_in_plain_words(text: str) -> None:
    assert human_rule(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "time for a human-readable format, how do i pretty print json",
        "is there a real person class in the standard library or do i write one",
        "is there an actual human_readable flag in humanize",
        "in my story generator someone real and someone fake meet, how do i pick one at random",
        "is there a teacher object in the gradebook lab",
        "could someone reply with a list comprehension version of this loop",
        "my function should reply to the thread when a message arrives, slack_sdk",
        "whoever runs the script first creates the file, how do i lock it",
        "it's time for a break, then lists",
    ],
)
def test_words_that_only_sound_like_wanting_a_person(text: str) -> None:
    assert human_rule(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "my linter keeps harassing me about line length, how do i configure it",
        "the ethics module quiz asks about the harassment policy, where is the link?",
        "my colleague said force pushing to main is career suicide lol, what does it do",
    ],
)
def test_tools_policies_and_idioms_are_no_concern(text: str) -> None:
    assert rule_kind(text) is None
