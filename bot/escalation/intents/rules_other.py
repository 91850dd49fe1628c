"""Rules in German, French, Spanish, Dutch, Portuguese and Italian.

The local embedder is English-only, so a request for a person or a clear danger written in
another language is caught here or not at all (a configured model also judges every message).
Requests are "an article or a preposition of the language, then a word for staff or a person"
("einen Trainer", "une vraie personne", "con un tutor"): the article keeps English sentences
out, since English articles are never in these lists ("a tutor on youtube" stays a question).
A person who is only mentioned is not asked for: what they said or used ("mein Trainer hat
gesagt...", "il tutor ha detto..."), a talk that is over ("hablé con el profesor ayer"), and
the learner asking them themselves or needing nobody ("ik vraag het zelf aan mijn docent", "pas
besoin d'un humain") are each language's ``mentions``, written with <A> for its words before the
noun and <N> for its nouns.
"""

from __future__ import annotations

import re

from bot.escalation.intents.kinds import SafetyKind


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# (language, words before the noun, nouns for staff or a person, whole phrases, mentions)
_HUMAN: list[tuple[str, str, str, str, str]] = [
    (
        "de",
        r"ein(?:e[nmr]?)?|mein(?:e[nmr]?)?|de[nmr]|die|mit|echte[nmr]?|richtige[nmr]?",
        r"trainer(?:in)?|dozent(?:in|en)?|lehrer(?:in)?|tutor(?:in)?|mentor(?:in)?|"
        r"betreuer(?:in)?|kursleiter(?:in)?|ausbilder(?:in)?|menschen?|person|mitarbeiter(?:in)?",
        r"jemande[nm]?\s+(?:vom|aus\s+dem)\s+(?:team|kurs)|mit\s+jemandem\s+(?:sprechen|reden)",
        r"<A><N>\s+(?:hat|hatte)\b[^.?!]{0,40}?\b(?:gesagt|benutzt|verwendet|erklärt|gezeigt|"
        r"gemeint|empfohlen|erwähnt)\b|<A><N>\s+hat\s+über\s+[^.?!]{0,40}?\b(?:gesprochen|geredet)\b|<A><N>\s+(?:sagte|sagt|meinte|meint|erklärte|zeigte|benutzte|"
        r"verwendete)\b|\b(?:frage|schreibe|rufe|kontaktiere|maile)\s+(?:\w+\s+){0,3}?selbst\s+"
        r"(?:\w+\s+){0,2}?<A><N>|(?:nicht|kein\w*)\s+(?:mit\s+)?<A>?<N>|<A><N>\s+(?:\w+\s+){0,3}?"
        r"(?:schon|bereits)\s+gesprochen",
    ),
    (
        "fr",
        r"un|une|le|la|l'|mon|ma|au|avec|vraie?",
        r"formateur|formatrice|professeur|prof|enseignante?|tuteur|tutrice|mentor|animat(?:eur|"
        r"rice)|personne|humain|responsable|conseill[eè]re?",
        r"quelqu'un\s+(?:de|du)\s+(?:l'équipe|staff|cours)|parler\s+(?:à|avec)\s+quelqu'un",
        r"<A><N>\s+(?:m'a|nous\s+a|a|avait)\s+(?:\w+\s+){0,2}?(?:dit|utilisé|expliqué|montré|"
        r"conseillé|recommandé|parlé|mentionné|évoqué|présenté)|<A><N>\s+(?:dit|disait|utilise)\b|(?:pas|plus|aucun)\s+besoin\s+"
        r"d'<A>?<N>|(?:j'ai|on\s+a|nous\s+avons)\s+(?:déjà\s+)?parlé\s+(?:à|avec)\s+<A><N>|"
        r"\bavec\s+personne\b|ne\s+veux\s+(?:pas\s+)?parler\s+(?:à|avec)\s+<A>?<N>",
    ),
    (
        "es",
        r"un|una|el|la|mi|con|al|verdadera?|alg[uú]n|alguna",
        r"profesora?|tutora?|instructora?|mentora?|formadora?|docente|entrenadora?|persona|"
        r"humano",
        r"alguien\s+del\s+(?:equipo|curso|staff)|hablar\s+con\s+alguien|(?:quiero|necesito|quisiera|"
        r"me\s+gustar[ií]a)\s+que\s+alguien|alguien\s+(?:puede|podr[ií]a)\s+(?:revisar|mirar|ver|"
        r"ayudar|llamar)",
        r"<A><N>\s+(?:me\s+|nos\s+)?(?:dijo|dice|usó|uso|explicó|mostró|recomendó|habló|mencionó|ha\s+dicho|"
        r"ha\s+usado)\b|(?:hablé|he\s+hablado|hablaba)\s+(?:con\s+)?<A><N>|no\s+(?:necesito|"
        r"quiero|hace\s+falta)\s+(?:hablar\s+con\s+)?<A>?<N>",
    ),
    (
        "nl",
        r"een|mijn|de|het|echte",
        r"docente?|leraar|lerares|trainer|begeleider|mentor|tutor|coach|mens|persoon",
        r"iemand\s+(?:van|uit)\s+(?:het\s+)?(?:\w*team|cursus)|met\s+iemand\s+(?:praten|spreken)",
        r"<A><N>\s+(?:zei|zegt|gebruikte|gebruikt|legde|heeft\s+(?:\w+\s+){0,3}?(?:gezegd|"
        r"gebruikt|uitgelegd|gepraat|genoemd))\b|<A><N>\s+(?:had\s+het|sprak)\s+over\b|\b(?:vraag|mail|bel|schrijf|stuur)\s+(?:\w+\s+){0,3}?zelf\s+"
        r"(?:\w+\s+){0,2}?<A><N>|geen\s+<N>\s+nodig|\bheb\s+(?:al\s+)?met\s+<A><N>\s+gepraat",
    ),
    (
        "pt",
        r"um|uma|meu|minha|com|ao|à|verdadeira?|algum|alguma",
        r"professora?|tutora?|instrutora?|mentora?|formadora?|docente|pessoa|humano",
        r"alguém\s+da\s+equipe|falar\s+com\s+alguém|pessoa\s+de\s+verdade",
        r"<A><N>\s+(?:me\s+|nos\s+)?(?:disse|usou|explicou|mostrou|falou|recomendou|diz|mencionou|comentou)\b|"
        r"não\s+(?:preciso|quero)\s+(?:falar\s+com\s+|d[eoa]\s+)?<A>?<N>|(?:já\s+)?falei\s+"
        r"(?:com\s+)?<A><N>",
    ),
    (
        "it",
        r"un|una|uno|un'|il|lo|la|l'|mio|mia|con|al|alla|vera?|qualche",
        r"docente|insegnante|professore(?:ssa)?|prof|tutor|formator[ei]|formatrice|mentore|"
        r"istrut(?:tore|trice)|persona|umano",
        r"qualcuno\s+dello\s+staff|parlare\s+con\s+qualcuno",
        r"<A><N>\s+(?:mi\s+|ci\s+)?(?:ha\s+(?:\w+\s+)?(?:detto|usato|spiegato|mostrato|"
        r"consigliato|parlato|accennato|menzionato)|dice|diceva|usa)\b|non\s+(?:voglio|ho\s+bisogno\s+di|serve)\s+"
        r"(?:parlare\s+con\s+)?<A>?<N>|(?:già\s+)?parlato\s+(?:con\s+)?<A><N>",
    ),
]

# Words that ask, by language: a rule counts only in a message with one of them, so "Der Trainer
# ist heute krank" or "mi profesora nos enseñó los bucles" (a person mentioned, nothing asked)
# and another language's article before an English noun ("so um mentor said") stay questions.
_ASKS = {
    "de": r"sprechen|reden|kontakt\w*|erreichen|anrufen|zurückrufen|schreiben|brauche|bräuchte|"
    r"möchte|würde|will|wollte|kann|könnte|können|darf|bitte|helfen|hilf\w*|termin|melden|"
    r"verbinden|gibt\s+es|jemand\w*|weiterleiten|leite\w*|schau\w*|prüfen|hätte|gern|anschau\w*",
    "fr": r"parler|contacter|joindre|appeler|rappeler|écrire|besoin|voudrais|veux|voulais|"
    r"aimerais|peut|peux|pourrait|pourrais|pouvez|puis-je|est-ce\s+qu|aide[rz]?|svp|s'il\s+"
    r"(?:te|vous)\s+pla[iî]t|rendez-vous|disponible|dispo|y\s+a-t-il|trouver|serait|relire|"
    r"transf[eé]r\w*",
    "es": r"hablar|contactar|llamar|escribir|necesito|necesitaría|quiero|quisiera|querría|puede|"
    r"puedo|podría|podrías|pueden|ayuda\w*|por\s+favor|disponible|hay\s+(?:algún|alguien)|cita|"
    r"reunión|hable|pás\w*|pasar|pasen|porfa|escala\w*",
    "nl": r"praten|spreken|contact\w*|bellen|terugbellen|mailen|schrijven|nodig|wil|zou|kan|kun|"
    r"kunt|mag|help\w*|alsjeblieft|alstublieft|graag|afspraak|beschikbaar|is\s+er|stuur|aub",
    "pt": r"falar|contatar|contactar|ligar|escrever|preciso|precisava|quero|queria|gostaria|pode|"
    r"posso|poderia|podem|ajuda\w*|por\s+favor|disponível|tem\s+(?:algum|alguém)|marcar|"
    r"conversar|passa\w*|encaminh\w*",
    "it": r"parlare|contattare|chiamare|scrivere|bisogno|voglio|vorrei|può|posso|potrebbe|potrei|"
    r"possono|aiut\w*|per\s+favore|disponibile|c'è|ci\s+sono|appuntamento|puoi|inoltr\w*|"
    r"pass\w*",
}
# A person as data: "eine Klasse für eine Person", "une classe pour une personne".
_AS_DATA = r"(?:klasse|classe|clase|klas|class|objekt|objet|objeto|oggetto|instan[cz]e?)\s+"


# (language, kind, pattern): the clearest phrases only.
_SAFETY: list[tuple[str, SafetyKind, str]] = [
    (
        "de",
        SafetyKind.SELF_HARM,
        r"selbstmord|suizid\w*|mich\s+umbringen|nicht\s+mehr\s+leben|"
        r"(?:will|möchte)\s+sterben|mir\s+(?:etwas|was)\s+antun",
    ),
    ("de", SafetyKind.HOPELESSNESS, r"hoffnungslos|hat\s+(?:alles\s+)?keinen\s+sinn\s+mehr"),
    (
        "de",
        SafetyKind.THREAT,
        r"ich\s+(?:bringe|bring)\s+(?:ihn|sie|dich)\s+um|"
        r"ich\s+(?:werde|will)\s+(?:ihn|sie|dich|de[nmr]\s+\w+|die\s+\w+)\s+(?:schlagen|umbringen|"
        r"verprügeln|abstechen)",
    ),
    ("de", SafetyKind.HARASSMENT, r"belästig\w*|gemobbt|mobbing|mobbt\s+mich"),
    ("de", SafetyKind.ABUSE, r"(?:schlägt|verprügelt)\s+mich|häusliche\s+gewalt"),
    (
        "de",
        SafetyKind.MEDICAL,
        r"notarzt|krankenwagen|bekomme\s+keine\s+luft|bewusstlos|ohnmächtig|atmet\s+nicht",
    ),
    (
        "fr",
        SafetyKind.SELF_HARM,
        r"suicid\w*|me\s+tuer|mettre\s+fin\s+à\s+(?:mes\s+jours|ma\s+vie)|"
        r"(?:envie\s+de|veux)\s+mourir|me\s+faire\s+du\s+mal",
    ),
    ("fr", SafetyKind.HOPELESSNESS, r"n'en\s+peux\s+plus|sans\s+espoir|désespér\w*"),
    (
        "fr",
        SafetyKind.THREAT,
        r"je\s+vais\s+(?:le|la|te|les)\s+(?:tuer|frapper|buter)|je\s+vais\s+(?:tuer|frapper|buter)"
        r"\s+(?:le|la|les|ce|cette|mon|ma|mes)\b",
    ),
    ("fr", SafetyKind.HARASSMENT, r"harc[eè]l\w*"),
    ("fr", SafetyKind.ABUSE, r"(?:me\s+frappe|me\s+bat)\b|violences?\s+conjugales?"),
    (
        "fr",
        SafetyKind.MEDICAL,
        r"urgence\s+médicale|appeler\s+le\s+samu|n'arrive\s+plus\s+à\s+"
        r"respirer|inconscient\w*|(?:s'est\s+)?évanoui\w*|ne\s+respire\s+plus",
    ),
    (
        "es",
        SafetyKind.SELF_HARM,
        r"suicid\w*|matarme|quitarme\s+la\s+vida|quiero\s+morir|"
        r"hacerme\s+daño",
    ),
    ("es", SafetyKind.HOPELESSNESS, r"no\s+puedo\s+más|sin\s+esperanza"),
    (
        "es",
        SafetyKind.THREAT,
        r"voy\s+a\s+(?:matar|golpear|pegar|apuñalar)\s+a|voy\s+a\s+(?:matar|golpear|pegar|"
        r"apuñalar)(?:lo|la|los|las|te)\b",
    ),
    ("es", SafetyKind.HARASSMENT, r"acos(?:o|a|ando|an)\b|me\s+acosan"),
    ("es", SafetyKind.ABUSE, r"me\s+(?:pega|golpea)\b|violencia\s+doméstica"),
    (
        "es",
        SafetyKind.MEDICAL,
        r"ambulancia|emergencia\s+médica|no\s+puedo\s+respirar|inconsciente|desmay(?:ado|ada|ó)|"
        r"no\s+respira",
    ),
    (
        "nl",
        SafetyKind.SELF_HARM,
        r"zelfmoord|su[iï]cid\w*|wil\s+dood|wil\s+niet\s+meer\s+leven|"
        r"mezelf\s+(?:iets\s+aandoen|pijn\s+doen)",
    ),
    ("nl", SafetyKind.HOPELESSNESS, r"hopeloos|heeft\s+(?:allemaal\s+)?geen\s+zin\s+meer"),
    (
        "nl",
        SafetyKind.THREAT,
        r"ik\s+(?:ga|sla)\s+(?:hem|haar)\s+(?:in\s+elkaar|slaan|vermoorden)|"
        r"ik\s+vermoord\s+(?:hem|haar|je)",
    ),
    (
        "nl",
        SafetyKind.HARASSMENT,
        r"lastig\s*gevallen|ongepaste\s+berichten|gepest|pesten\s+me|"
        r"intimideert\s+me",
    ),
    ("nl", SafetyKind.ABUSE, r"slaat\s+me|huiselijk\s+geweld"),
    (
        "nl",
        SafetyKind.MEDICAL,
        r"noodgeval|kan\s+niet\s+(?:meer\s+)?ademen|bel\s+een\s+ambulance|bewusteloos|flauwgevallen|"
        r"ademt\s+niet",
    ),
    (
        "pt",
        SafetyKind.SELF_HARM,
        r"suicid\w*|me\s+matar|tirar\s+a\s+minha\s+vida|quero\s+morrer|"
        r"me\s+machucar",
    ),
    ("pt", SafetyKind.HOPELESSNESS, r"não\s+aguento\s+mais|sem\s+esperança"),
    ("pt", SafetyKind.THREAT, r"vou\s+(?:matar|bater\s+n(?:o|a|ele|ela)|agredir|esfaquear)"),
    ("pt", SafetyKind.HARASSMENT, r"assédio|assedia\w*"),
    ("pt", SafetyKind.ABUSE, r"me\s+bate\b|violência\s+doméstica"),
    (
        "pt",
        SafetyKind.MEDICAL,
        r"ambulância|emergência\s+médica|não\s+consigo\s+respirar|inconsciente|desmai(?:ou|ad[oa])|"
        r"não\s+respira",
    ),
    (
        "it",
        SafetyKind.SELF_HARM,
        r"suicid\w*|uccidermi|togliermi\s+la\s+vita|voglio\s+morire|"
        r"farmi\s+del\s+male",
    ),
    ("it", SafetyKind.HOPELESSNESS, r"non\s+ce\s+la\s+faccio\s+più|senza\s+speranza"),
    ("it", SafetyKind.THREAT, r"(?:lo|la|ti)\s+(?:ammazzo|picchio|uccido)|vado\s+a\s+picchiare"),
    ("it", SafetyKind.HARASSMENT, r"molest\w*|mi\s+perseguita"),
    ("it", SafetyKind.ABUSE, r"mi\s+(?:picchia|maltratta)|violenza\s+domestica"),
    (
        "it",
        SafetyKind.MEDICAL,
        r"ambulanza|emergenza\s+medica|non\s+riesco\s+a\s+respirare|svenut[oa]|"
        r"priv[oa]\s+di\s+sensi|non\s+respira",
    ),
]


def _human_patterns() -> list[tuple[str, re.Pattern[str], re.Pattern[str], re.Pattern[str]]]:
    patterns = []
    for lang, before, nouns, phrases, mentions in _HUMAN:
        # "l'" and "un'" end in an apostrophe: no space (and no word boundary) after them.
        words = rf"(?<!\w)(?:(?:{before})\s+|(?:l'|un'))"
        pattern = rf"{words}(?:{nouns})\b|(?<!\w)(?:{phrases})"
        mentioned = rf"{mentions}|{_AS_DATA}(?:\w+\s+){{0,2}}?<A><N>"
        mentioned = mentioned.replace("<A>", words).replace("<N>", rf"(?:{nouns})\b")
        asks = _re(rf"(?<!\w)(?:{_ASKS[lang]})(?!\w)")
        patterns.append((f"person ({lang})", _re(pattern), _re(mentioned), asks))
    return patterns


# (rule name, pattern, mentions, words that ask) for requests for a person, one per language.
OTHER_HUMAN_PATTERNS = _human_patterns()
# (rule name, kind, pattern) for safety phrases.
OTHER_SAFETY_PATTERNS = [
    (f"{kind.value} ({lang})", kind, _re(rf"(?<!\w)(?:{pattern})"))
    for lang, kind, pattern in _SAFETY
]
