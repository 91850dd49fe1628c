"""Requests for a person and safety concerns in German, French, Spanish, Dutch, Portuguese and
Italian, by rule: the ways each language asks for someone, the ways it only mentions them, and
the concerns it names without the dictionary words."""

from __future__ import annotations

import pytest

from bot.escalation.intents import IntentDetector, IntentKind, SafetyKind
from bot.escalation.intents.denials import denies_request
from bot.escalation.intents.spelling import correct_key_words


def by_rules(text: str) -> set[IntentKind]:
    return set(IntentDetector(None).by_rules(text))


def safety_kind(text: str) -> SafetyKind | None:
    found = IntentDetector(None).by_rules(text)
    return found[IntentKind.SAFETY].kind if IntentKind.SAFETY in found else None


@pytest.mark.parametrize(
    "text",
    [
        # someone asked to act or to be there
        "kann mich jemand zurückrufen? tippen ist mühsam",
        "Hallo? Ist da jemand?",
        "quelqu'un pourrait me rappeler demain matin ?",
        "alguien me puede llamar? escribiendo no me explico",
        "Hola?? Alguien???",
        "kan iemand me vanmiddag terugbellen?",
        "Is hier iemand?",
        "alguem do suporte me chama no privado pfv",
        "qualcuno mi può richiamare oggi pomeriggio?",
        "Pronto?? C'è nessuno??",
        # a handover
        "kannst du mich an einen mitarbeiter weitergeben?",
        "passe moi un humain stp",
        "pasame con un humano porfa",
        "Ponme con soporte.",
        "verbind me door met een medewerker",
        "me passa pra um atendente humano",
        "mi passi qualcuno del team?",
        # staff and real people, by the nouns of each language
        "ist die kursleitung heute online?",
        "kann das bitte ein mensch anschauen?",
        "ich will mit nem menschen reden nicht mit ner maschine",
        "on parle à des vrais gens ici ou pas ?",
        "aqui hay gente de verdad o solo bots?",
        "zitten hier ook echte mensen achter of alleen bots?",
        "tem gente de verdade aqui ou só bot?",
        "ci sono persone vere dietro o solo bot?",
        "je prefererais voir ca avec l'instructeur, c'est perso",
        "Gli organizzatori possono contattarmi per il certificato?",
        # are you human?
        "t'es un humain ? sinon je peux en avoir un ?",
        "você é humano? se não for, me passa pra um",
    ],
)
def test_requests_for_a_person_in_other_languages(text: str) -> None:
    assert IntentKind.HUMAN_REQUEST in by_rules(text)


@pytest.mark.parametrize(
    "text",
    [
        # the person's own example or words, not the person
        "dans l'exemple du prof il y a range(10), pourquoi pas range(1, 11) ?",
        "na solução do professor tem uma list comprehension, me explica?",
        "nell'esempio del docente c'è range(10), perché non range(1, 11)?",
        "Nel video il formatore scrive python -i. A cosa serve -i?",
        # nobody needed, nobody to bother, a talk that is over
        "non mi serve un umano, dimmi solo perché il ciclo non si ferma",
        "Ich brauch keine Hilfe von einem Menschen, du reichst völlig. Wie fang ich das ab?",
        "will den trainer nicht mit so ner kleinigkeit nerven: was ist der unterschied?",
        "Ik heb de organisatie al gemaild, je hoeft niks door te sturen.",
        "perguntei pro tutor ontem e agora funciona, valeu",
    ],
)
def test_a_person_only_mentioned_is_not_asked_for(text: str) -> None:
    assert by_rules(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "perguntei pro tutor ontem e agora funciona, valeu",
        "ieri ho chiesto al tutor e ora funziona",
        "geen tutor nodig, wil alleen weten wat een set is",
        "no necesito un humano, solo dime por que el bucle no termina nunca",
    ],
)
def test_a_mention_in_another_language_is_no_request_by_similarity_either(text: str) -> None:
    assert denies_request(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ich denk in letzter zeit oft dran, mir was anzutun", SafetyKind.SELF_HARM),
        ("hab mich gestern wieder selbst verletzt", SafetyKind.SELF_HARM),
        ("j'ai pensé à en finir ces derniers temps", SafetyKind.SELF_HARM),
        ("Ho deciso che stasera la faccio finita.", SafetyKind.SELF_HARM),
        ("ik loop er al een tijdje over na om er een eind aan te maken", SafetyKind.SELF_HARM),
        ("alles voelt zinloos, ik sta elke dag op en denk waarom", SafetyKind.HOPELESSNESS),
        ("A che serve continuare? Sono una delusione per tutti", SafetyKind.HOPELESSNESS),
        ("la formatrice va regretter sa note, je vais l'attendre à la sortie", SafetyKind.THREAT),
        ("Ich weiß, wo der Trainer wohnt.", SafetyKind.THREAT),
        ("se quello del gruppo mi prende ancora in giro gli spacco la faccia", SafetyKind.THREAT),
        ("la tutora se burla de mi delante de todos", SafetyKind.HARASSMENT),
        ("In het kanaal lachen ze me uit om mijn taalfouten", SafetyKind.HARASSMENT),
        ("mein freund kontrolliert mein handy und wird handgreiflich", SafetyKind.ABUSE),
        ("il mio compagno mi controlla il telefono e diventa violento", SafetyKind.ABUSE),
        ("me duele muchisimo el pecho y me cuesta respirar", SafetyKind.MEDICAL),
        ("ik heb nu heel erge pijn op mijn borst", SafetyKind.MEDICAL),
        ("O meu filho engoliu detergente da máquina, o que é que eu faço??", SafetyKind.MEDICAL),
    ],
)
def test_concerns_in_other_languages_without_the_dictionary_words(
    text: str, kind: SafetyKind
) -> None:
    assert safety_kind(text) is kind


@pytest.mark.parametrize(
    "text",
    [
        "mein code ist eine katastrophe, hoffnungsloser fall haha",
        "mon code est une catastrophe, c'est désespérant lol",
        "mijn code is een ramp, hopeloos haha",
        "il mio codice è un disastro, senza speranza ahah",
        "ce bug va me tuer",
        "Perdón por molestar... ¿me explicas los generadores?",
    ],
)
def test_despair_about_code_and_jokes_are_no_concern(text: str) -> None:
    assert safety_kind(text) is None


@pytest.mark.parametrize(
    "word", ["humain", "humano", "persoon", "personen", "mentore", "instrutor"]
)
def test_the_people_words_of_other_languages_are_not_corrected_to_english(word: str) -> None:
    assert correct_key_words(f"un {word} ici") == f"un {word} ici"
