"""Request rules in German, French, Spanish, Dutch, Portuguese, Italian, Polish and Hindi
written in Latin letters (the safety rules of the first six are in ``rules_other_safety``).

The local embedder is English-only, so a request for a person written in another language is
caught here or not at all by rule (a configured model also judges every message). A language
asks for a person in three ways:

* an article or a preposition of the language, then a word for staff or a person ("einen
  Trainer", "une vraie personne", "con un tutor", "al responsable"): the article keeps English
  sentences out, since English articles are never in these lists ("a tutor on youtube" stays a
  question);
* someone, asked to act or to be there ("kann mich jemand zurückrufen", "quelqu'un pourrait",
  "hay alguien por ahí", "kan iemand even kijken", "algu[eé]m me liga", "qualcuno mi può
  richiamare"), or real people asked about ("gibt's hier echte Menschen", "des vrais gens");
* a handover or a person's time: "pásame con", "passe-moi", "verbind me door", "durchstellen",
  "Sprechstunde", "permanence", "tutorías", "atendimento", "a call back".

A message counts only with one of its language's words that ask (``_Language.asks``). A person
who is only mentioned is not asked for: what they said or did ("mein Trainer hat gesagt...", "il
tutor ha detto..."), a talk that is over ("hablé con el profesor ayer", "ieri ho chiesto al
tutor"), the learner asking them themselves, needing nobody or not wanting to bother them ("ik
vraag het zelf aan mijn docent", "pas besoin d'un humain", "non voglio disturbare il tutor"): each
language's ``mentions``, written with <A> for its words before the noun and <N> for its nouns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@dataclass(frozen=True)
class _Language:
    code: str
    before: str  # articles and prepositions before a noun for a person
    nouns: str  # staff, or a person
    phrases: str  # whole phrases that ask for someone
    mentions: str  # a person mentioned, not asked for (<A>, <N> as above)
    asks: str  # words that ask


_LANGUAGES = [
    _Language(
        "de",
        r"ein(?:e[nmr]?)?|ne[mnr]?|mein(?:e[nmr]?)?|dein(?:e[nmr]?)?|unse?re[nmr]?|de[nmr]|die|mit|zu[mr]|"
        r"echte[nmr]?|richtige[nmr]?",
        r"trainer(?:in)?|dozent(?:in|en)?|lehrer(?:in)?|lehrkraft|tutor(?:in)?|mentor(?:in)?|"
        r"betreuer(?:in)?|betreuung|kursleit(?:er|erin|ung)|ausbilder(?:in)?|mensch(?:en)?|person|"
        r"mitarbeiter(?:in)?|ansprechpartner(?:in)?|verantwortliche[nr]?|support(?:-?team)?|kursteam|"
        r"leute|coach|staff",
        r"jemande[nm]?\s+(?:vom|aus\s+dem)\s+(?:team|kurs)|(?:mit\s+)?(?:jemand(?:em|en)?|wem|"
        r"irgendwem)\s+(?:echte[nm]|richtige[nm]|vom\s+(?:kurs|team)|aus\s+der\s+\w+|reden|sprechen)|"
        r"echte\s+(?:menschen|leute|personen)|einen?\s+menschen|mensch\s+(?:bitte|pls)|"
        r"(?:kann|könnte|kannst|können)\s+(?:mich|mir)\s+(?:bitte\s+|mal\s+|vielleicht\s+)?"
        r"(?:jemand|wer|irgendwer)\b|(?:jemand|wer|irgendwer|jmd)\s+(?:\w+\s+)?(?:da|hier|online|"
        r"erreichbar)\b|zurückruf\w*|rückruf|sprechstunde|durchstellen|weitergeben|"
        r"(?:holt?|holen)\s+(?:\w+\s+){0,2}?jemand\w*|(?:bist|sind)\s+(?:du|sie)\s+(?:ein\s+)?mensch|"
        r"persönlich\s+weiterhelfen|ist\s+(?:da|hier)\s+(?:\w+\s+)?(?:jemand|wer)\b|aus\s+fleisch\s+und\s+blut",
        r"<A><N>\s+(?:hat|hatte)\b[^.?!]{0,40}?\b(?:gesagt|benutzt|verwendet|erklärt|gezeigt|"
        r"gemeint|empfohlen|erwähnt)\b|<A><N>\s+hat\s+über\s+[^.?!]{0,40}?\b(?:gesprochen|geredet)\b|"
        r"<A><N>\s+(?:sagte|sagt|meinte|meint|erklärte|zeigte|benutzte|verwendete)\b|"
        r"\b(?:frage|schreibe|rufe|kontaktiere|maile)\s+(?:\w+\s+){0,3}?selbst\s+(?:\w+\s+){0,2}?<A><N>|"
        r"(?:nicht|kein\w*)\s+(?:mit\s+)?<A>?<N>|<A><N>\s+(?:\w+\s+){0,3}?(?:schon|bereits)\s+"
        r"gesprochen|<A><N>\s+(?:\w+\s+){0,5}?nicht\s+(?:\w+\s+){0,4}?(?:nerven|stören|belästigen)|"
        r"kein\w*\s+hilfe\s+von\s+<A><N>|(?:jemand|wer|irgendwer)\s+(?:(?:mir|mal|bitte|kurz|das|es|"
        r"nochmal|vielleicht)\s+){0,3}erklär\w*|<A><N>\s+(?:schreibt|zeigt|macht|nutzt)\b",
        r"sprechen|reden|kontakt\w*|erreich\w*|anrufen|zurückruf\w*|schreiben|brauche|bräuchte|"
        r"möchte|würde|würd|will|wollte|kann|könnte|können|darf|bitte|helfen|hilf\w*|weiterhelfen|"
        r"termin|melden|verbinden|gibt\s+es|gibt's|gibts|jemand\w*|weiterleiten|weitergeben|leite\w*|"
        r"schau\w*|prüfen|hätte|hätt|gern|anschau\w*|online|da|klären|übernimmt|übernehmen|holt?|"
        r"holen|dringend|sprechstunde|durchstellen",
    ),
    _Language(
        "fr",
        r"un|une|le|la|l'|mon|ma|au|avec|vraie?s?|des",
        r"formateur|formatrice|professeur|prof|enseignante?|tuteur|tutrice|mentor|animat(?:eur|"
        r"rice)|personne|humain|responsable|conseill[eè]re?|instructeur|instructrice|référente?|"
        r"interlocuteur(?:\s+humain)?|support|orga|vrais\s+gens|gens|coach|responsable\s+pédagogique",
        r"quelqu'un\s+(?:de|du)\s+(?:l'équipe|staff|cours|l'orga\w*)|parler\s+(?:à|avec)\s+quelqu'un|"
        r"quelqu'un\s+(?:pourrait|peut|pour|en\s+partage|(?:me|nous)\s+(?:rappeler|appeler|aider))|"
        r"(?:avoir|trouver)\s+quelqu'un|vrais\s+gens|aide\s+humaine|(?:formateur|formatrice|humain|prof|tuteur)\s+(?:svp|stp)|y\s+a\s+(?:quelqu'un|des\s+(?:vrais\s+)?gens)|passe[-\s]moi|"
        r"permanence|me\s+rappeler|faire\s+remonter|(?:t'es|tu\s+es|êtes[-\s]vous)\s+(?:un\s+)?humain",
        r"<A><N>\s+(?:m'a|nous\s+a|a|avait)\s+(?:\w+\s+){0,2}?(?:dit|utilisé|expliqué|montré|"
        r"conseillé|recommandé|parlé|mentionné|évoqué|présenté)|<A><N>\s+(?:dit|disait|utilise)\b|"
        r"(?:pas|plus|aucun)\s+besoin\s+d'<A>?<N>|(?:j'ai|on\s+a|nous\s+avons)\s+(?:déjà\s+)?parlé\s+"
        r"(?:à|avec)\s+<A><N>|\bavec\s+personne\b|ne\s+veux\s+(?:pas\s+)?parler\s+(?:à|avec)\s+<A>?<N>|"
        r"(?:demanderai|demande)\s+(?:\w+\s+){0,2}?(?:à\s+)?<A><N>\s+(?:\w+\s+){0,2}?moi[-\s]même|"
        r"(?:pas|sans)\s+(?:\w+\s+){0,2}?déranger\s+<A><N>|<A><N>\s+(?:écrit|montre|fait)\b|quelqu'un\s+(?:pourrait\s+|peut\s+)?(?:me\s+|m')?"
        r"expliqu\w*",
        r"parler|contacter|joindre|joignable|appeler|rappeler|écrire|besoin|voudrais|veux|voulais|"
        r"aimerais|peut|peux|pourrait|pourrais|pouvez|puis-je|est-ce\s+qu|aide[rz]?|svp|stp|s'il\s+"
        r"(?:te|vous)\s+pla[iî]t|rendez-vous|disponible|dispo|y\s+a-t-il|y\s+a|trouver|serait|relire|"
        r"transf[eé]r\w*|pr[eé]f[eé]r\w*|passe|permanence|remonter|moyen|là|ici|parle|souhait\w*|entretenir",
    ),
    _Language(
        "es",
        r"un|una|el|la|mi|con|al|verdadera?|alg[uú]n|alguna",
        r"profesora?|profe|tutora?|instructora?|mentora?|formadora?|docente|entrenadora?|persona|"
        r"humano|coordinadora?|coordinación|responsable|soporte|staff|gente\s+de\s+verdad|coach|"
        r"organización",
        r"alguien\s+del\s+(?:equipo|curso|staff)|hablar\s+con\s+alguien|(?:quiero|necesito|quisiera|"
        r"me\s+gustar[ií]a)\s+que\s+alguien|alguien\s+(?:me\s+|nos\s+)?(?:puede|podr[ií]a|pueden)\s+"
        r"(?:revisar|mirar|ver|ayudar|llamar|atender)|hay\s+alguien|pása(?:me|nos)|pasame|"
        r"me\s+pasas|me\s+(?:pueden|puedes|podéis)\s+pasar|der[ií]va(?:me|nos)|(?:me\s+)?consigues\s+"
        r"a\s+alguien|tutorías|gente\s+de\s+verdad|alguien\s+me\s+(?:llam|contact|escrib|revis)\w*|"
        r"pon(?:me|nos)\s+con|^\W*(?:hola\W+)?alguien\W*$|alguien\s+del?\s+(?:soporte|staff|equipo|curso|"
        r"organizaci[oó]n|coordinaci[oó]n)|que\s+me\s+(?:contacte|llame|escriba)|(?:eres|sos)\s+humano",
        r"<A><N>\s+(?:me\s+|nos\s+)?(?:dijo|dice|usó|uso|explicó|mostró|recomendó|habló|mencionó|"
        r"ha\s+dicho|ha\s+usado)\b|(?:hablé|he\s+hablado|hablaba)\s+(?:con\s+)?<A><N>|no\s+(?:necesito|"
        r"quiero|hace\s+falta)\s+(?:hablar\s+con\s+)?<A>?<N>|(?:pregunt[eé]|le\s+pregunt[eé])\s+"
        r"(?:a\s+)?<A><N>|(?:mañana|luego|después)\s+hablo\s+con\s+<A><N>|<A><N>\s+(?:escribe|muestra|hace)\b|alguien\s+(?:me\s+|nos\s+)?(?:puede\s+|podr[ií]a\s+|"
        r"pueden\s+)?(?:me\s+)?explic\w*",
        r"hablar|contactar?|contacto|llamar|llame|escribir|escriba|necesito|necesitaría|quiero|"
        r"quisiera|querría|puede|puedo|podría|podrías|pueden|puedes|ayuda\w*|por\s+favor|disponible|"
        r"hay\s+(?:algún|alguien)|gente\s+de\s+verdad|cita|reunión|hable|pás\w*|pasar|pasen|pasas|porfa|escala\w*|deriva\w*|conectado|"
        r"consigues|encargue|atender|unirse|localizable|contacte|alguien|libre|habría|prefiero|"
        r"preferiría|ponme|gustaría",
    ),
    _Language(
        "nl",
        r"een|mijn|de|het|echte?|met",
        r"docente?|leraar|lerares|trainer|begeleider|mentor|tutor|coach|mens|persoon|medewerker|"
        r"aanspreekpunt|personeel|organisatie|echte\s+mensen|menselijk\s+aanspreekpunt|"
        r"verantwoordelijke|cursusleiding|staf",
        r"iemand\s+(?:van|uit)\s+(?:het\s+|de\s+)?(?:\w*team|cursus|organisatie|personeel|staf|support)|"
        r"iemand\s+(?:\w+\s+)?(?:spreken|bellen|zien)|(?:is|zit)\s+(?:hier|er)\s+(?:\w+\s+){0,2}?"
        r"(?:iemand|een\s+mens)\b|^\W*(?:hallo\W+)?iemand\W*$|met\s+iemand\s+"
        r"(?:praten|spreken|scherm\s+delen)|iemand\s+(?:echts|erbij)|(?:kan|kun|kunt|zou)\s+iemand\s+"
        r"(?:me|mij|even|nog)\b|iemand\s+(?:\w+\s+)?(?:bereikbaar|beschikbaar)|echte\s+mensen|"
        r"terugbellen|verbind\s+me\s+door|escaleren|(?:ben\s+je|bent\s+u)\s+(?:een\s+)?mens\b|"
        r"ik\s+(?:heb|wil)\s+(?:echt\s+)?iemand",
        r"<A><N>\s+(?:zei|zegt|gebruikte|gebruikt|legde|heeft\s+(?:\w+\s+){0,3}?(?:gezegd|"
        r"gebruikt|uitgelegd|gepraat|genoemd))\b|<A><N>\s+(?:had\s+het|sprak)\s+over\b|"
        r"\b(?:vraag|mail|bel|schrijf|stuur)\s+(?:\w+\s+){0,3}?zelf\s+(?:\w+\s+){0,2}?<A><N>|"
        r"geen\s+<N>\s+nodig|\bheb\s+(?:al\s+)?met\s+<A><N>\s+gepraat|heeft\s+<A><N>\s+(?:niet\s+)?"
        r"(?:uitgelegd|gezegd)|variabele\s+<N>|heb\s+<A><N>\s+(?:al\s+)?(?:gemaild|gebeld|gesproken)|"
        r"<A><N>\s+(?:schrijft|doet)\b|iemand\s+(?:(?:me|mij|even|nog)\s+)*uitleg\w*",
        r"praten|spreken|contact\w*|bellen|terugbellen|mailen|schrijven|nodig|wil|zou|kan|kun|kunt|"
        r"mag|help\w*|alsjeblieft|alstublieft|graag|afspraak|beschikbaar|bereikbaar|is\s+er|stuur|"
        r"aub|liever|bespreek\w*|escaleren|doorverbinden|verbind|erbij|benaderen|plan|zitten|zit|echte|"
        r"iemand|tijd|geef|inplannen",
    ),
    _Language(
        "pt",
        r"um|uma|meu|minha|com|ao|à|verdadeira?|algum|alguma|o|a|pra|para|pro",
        r"professora?|tutora?|instrutora?|mentora?|formadora?|docente|pessoa|humano|atendente|"
        r"suporte|coordenação|coordenadora?|responsável|equipe|equipa|staff|gente\s+de\s+verdade|"
        r"organização",
        r"algu[eé]m\s+d[ao]\s+(?:equipe|equipa|curso|staff|organização|suporte)|falar\s+com\s+algu[eé]m|pessoa\s+de\s+"
        r"verdade|algu[eé]m\s+(?:me\s+)?(?:liga|ligar|pode|poderia|chama)|chama\s+algu[eé]m|tem\s+(?:algu[eé]m|"
        r"gente)|me\s+passa|passa[-\s](?:me|isto|isso)|encaminha[-\s]?me|põe[-\s]me\s+em\s+contacto|"
        r"atendimento|(?:você\s+é|és|é)\s+humano|quero\s+algu[eé]m|professor\s+(?:pfv|por\s+favor)",
        r"<A><N>\s+(?:me\s+|nos\s+)?(?:disse|usou|explicou|mostrou|falou|recomendou|diz|mencionou|"
        r"comentou)\b|não\s+(?:preciso|quero|precisa)\s+(?:falar\s+com\s+|d[eoa]\s+|incomodar\s+)?<A>?<N>|"
        r"(?:já\s+)?falei\s+(?:com\s+)?<A><N>|pergunt(?:ei|o)\s+(?:pr[oa]|a[o]?|à)\s+<A>?<N>|"
        r"(?:eu\s+)?mesm[oa]\s+pergunto|<A><N>\s+(?:escreve|mostra|faz|corrigiu)\b|algu[eé]m\s+(?:me\s+)?(?:pode\s+|poderia\s+)?"
        r"(?:me\s+)?explic\w*",
        r"falar|falo|contatar|contactar|contacto|ligar|liga|escrever|preciso|precisava|quero|queria|"
        r"gostaria|pode|posso|poderia|podem|podes|ajuda\w*|por\s+favor|pfv|disponível|tem|marcar|"
        r"conversar|passa\w*|encaminh\w*|reencaminh\w*|chama\w*|contactável|atendimento|põe|teria|"
        r"tempinho|prefiro|preferia|contato|algu[eé]m",
    ),
    _Language(
        "it",
        r"un|una|uno|un'|il|lo|la|l'|gli|mio|mia|con|col|al|alla|vera?|vere|qualche",
        r"docente|insegnante|professore(?:ssa)?|prof|tutor|formator[ei]|formatrice|mentore|"
        r"istrut(?:tore|trice)|persona|umano|referente|responsabile|segreteria(?:\s+didattica)?|"
        r"team(?:\s+didattico)?|interlocutore(?:\s+umano)?|persone\s+vere|supporto|coach|"
        r"organizzator[ei]|coordinat(?:ore|rice)",
        r"qualcuno\s+(?:dello\s+staff|del\s+(?:team|corso|supporto)|dell'organizzazione)|c'è\s+nessuno|"
        r"qualcuno\s+(?:di\s+voi\s+|del\s+\w+\s+)?(?:mi|ci)\s+(?:telefon|chiam|scriv|contatt|richiam|aiut)\w*|"
        r"parlare\s+con\s+"
        r"qualcuno|qualcuno\s+(?:mi|ci)\s+(?:può|potrebbe|puo)|(?:voglio|vorrei|serve|mi\s+serve)\s+"
        r"qualcuno|c'è\s+qualcuno|mi\s+passi|passami|passa(?:te)?mi|ricontattar\w*|richiamar\w*|"
        r"(?:sei|è)\s+umano|persone\s+vere|condividere\s+lo\s+schermo\s+con\s+qualcuno|^\W*umano\W*$",
        r"<A><N>\s+(?:mi\s+|ci\s+)?(?:ha\s+(?:\w+\s+)?(?:detto|usato|spiegato|mostrato|consigliato|"
        r"parlato|accennato|menzionato)|dice|diceva|usa)\b|non\s+(?:voglio|ho\s+bisogno\s+di|(?:mi\s+)?serve)\s+"
        r"(?:parlare\s+con\s+|disturbare\s+)?<A>?<N>|(?:già\s+)?parlato\s+(?:con\s+)?<A><N>|"
        r"(?:ho\s+)?chiesto\s+<A><N>|(?:lo\s+)?chiedo\s+io\s+<A><N>|<A><N>\s+(?:scrive|mostra|fa)\b|qualcuno\s+(?:mi\s+|ci\s+)?(?:può\s+|puo\s+|potrebbe\s+)?"
        r"(?:mi\s+)?spieg\w*",
        r"parlare|parlarne|contattare|ricontatt\w*|chiamare|richiam\w*|scrivere|bisogno|voglio|"
        r"vorrei|può|puo|posso|potrebbe|potrei|possono|aiut\w*|per\s+favore|disponibile|c'è|ci\s+sono|"
        r"appuntamento|puoi|inoltr\w*|pass\w*|serve|reperibile|preferirei|preferisco|girare|"
        r"condividere|sentirlo|umano|contatto|metti|prenotare|colloquio|qualcuno|nessuno",
    ),
    _Language(
        "pl",
        r"z|ze|do|od|mojego|mojej|moim|moją|mój|moja|prawdziw(?:ym|ą|ego|ej|y|a)|żyw(?:ym|ą|ego|y)|"
        r"jakimś|jakąś",
        r"prowadząc(?:ym|ą|ego|ej|y|a)|trener(?:em|a|ką|ki)?|nauczyciel(?:em|a|ką|ki)?|"
        r"wykładowc(?:ą|y|a)|mentor(?:em|a|ką)?|tutor(?:em|a)?|instruktor(?:em|a)?|człowiek(?:iem)?|"
        r"osob(?:ą|y|a)|ludźmi|obsług(?:ą|i|a)(?:\s+kursu)?|konsultant(?:em|ką|a)?|"
        r"koordynator(?:em|ką|a)?",
        r"kimś\s+z\s+(?:obsługi|zespołu|kadry|kursu|supportu)|porozmawiać\s+z\s+kimś|"
        r"kontakt(?:u)?\s+z\s+kimś|jest\s+(?:tu\s+|tam\s+)?ktoś|niech\s+ktoś|"
        r"ktoś\s+(?:mógłby|mogłaby|może\s+(?:mi|ze\s+mną|zadzwonić|napisać))|"
        r"(?:jesteś|czy\s+jesteś)\s+człowiekiem|(?:żywy|prawdziwy)\s+człowiek",
        r"<A><N>\s+(?:mi\s+|nam\s+)?(?:powiedział|powiedziała|mówił|mówiła|wyjaśnił|wyjaśniła|"
        r"pokazał|pokazała)\b|<N>\s+(?:mi\s+|nam\s+)?(?:powiedział|powiedziała|mówił|mówiła)\b|"
        r"(?:już\s+)?rozmawiał(?:e|a)?[mś]\s+(?:już\s+)?<A><N>|nie\s+(?:potrzebuję|chcę|muszę)\s+"
        r"(?:rozmawiać\s+)?<A>?<N>|(?:sam|sama)\s+zapytam|ktoś\s+(?:mi\s+)?(?:może\s+|mógłby\s+)?"
        r"(?:wyjaśni|wytłumacz)\w*",
        r"porozmawiać|rozmawiać|potrzebuję|potrzebowałbym|potrzebowałabym|chcę|chciałbym|"
        r"chciałabym|mogę|może|możesz|proszę|kontakt\w*|skontaktować|zadzwonić|napisać|połączyć|"
        r"przekazać|przekaż|jest|ktoś",
    ),
    # Hindi written in Latin letters, as it is typed, with English nouns in it: "kisi trainer se
    # baat karwa do". "Mere" is left out of the words before a noun: it is English too.
    _Language(
        "hi",
        r"kisi|ek|mera|meri|apne|asli",
        r"insaan|insan|aadmi|admi|bande?|trainer|teacher|mentor|instructor|tutor|sir|madam|"
        r"ma'?am|staff|human|person",
        r"(?:se|say)\s+baat\s+(?:karwa|karva|karao|karni|karna|karwado|kar\s+sakt[ai])|"
        r"kisi\s+se\s+baat|insaan\s+chahiye|koi\s+(?:insaan|insan|trainer|teacher|mentor|"
        r"banda|staff)\s+(?:hai|h|milega|available)",
        r"<A><N>\s+ne\s+(?:bola|kaha|bataya|samjhaya|dikhaya|likha)\b|<N>\s+ne\s+(?:bola|kaha|"
        r"bataya|samjhaya)\b|(?:maine\s+)?<A>?<N>\s+se\s+(?:baat\s+)?(?:kar\s+li|ho\s+gayi|"
        r"puch\s+liya|pooch\s+liya)|(?:<N>|kisi\s+ki)\s+(?:nahi|nahin|zarurat\s+nahi)",
        r"baat|karwa\w*|karao|chahiye|please|pls|sakt[ai]|milega|milegi|kya|hai",
    ),
]
# A person as data: "eine Klasse für eine Person", "une classe pour une personne".
_AS_DATA = r"(?:klasse|classe|clase|klas|class|objekt|objet|objeto|oggetto|instan[cz]e?)\s+"


def _human_patterns() -> list[tuple[str, re.Pattern[str], re.Pattern[str], re.Pattern[str]]]:
    patterns = []
    for language in _LANGUAGES:
        # "l'" and "un'" end in an apostrophe: no space (and no word boundary) after them.
        words = rf"(?<!\w)(?:(?:{language.before})\s+|(?:l'|un'))"
        nouns = rf"(?:{language.nouns})\b"
        pattern = rf"{words}{nouns}|(?<!\w)(?:{language.phrases})"
        mentioned = rf"{language.mentions}|{_AS_DATA}(?:\w+\s+){{0,2}}?<A><N>"
        mentioned = mentioned.replace("<A>", words).replace("<N>", nouns)
        asks = _re(rf"(?<!\w)(?:{language.asks})(?!\w)")
        patterns.append((f"person ({language.code})", _re(pattern), _re(mentioned), asks))
    return patterns


# (rule name, pattern, mentions, words that ask) for requests for a person, one per language.
OTHER_HUMAN_PATTERNS = _human_patterns()
_MENTIONS = [mentioned for _, _, mentioned, _ in OTHER_HUMAN_PATTERNS]


def mentions_person(text: str) -> bool:
    """Whether ``text`` only mentions a person in one of these languages ("perguntei pro tutor
    ontem", "geen tutor nodig"): the similarity, which reads these languages poorly, must not take
    such words for a request."""
    return any(mentioned.search(text) for mentioned in _MENTIONS)
