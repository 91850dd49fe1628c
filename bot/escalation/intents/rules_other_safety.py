"""Safety rules in German, French, Spanish, Dutch, Portuguese and Italian: the phrases that name
a danger in each language, by kind.

The local embedder knows English only, so a concern written in another language is caught here
or not at all by rule (the similarity still runs, and a configured model judges every message).
Each kind has the plain words ("Suizid", "harcèlement") and the ways people say it without them:
ending it ("en finir", "farla finita", "er een eind aan maken"), hurting oneself again, no point
in going on, "I know where he lives", a partner who checks the phone and turns violent, chest
pain and no air right now. Words that are also code or jokes ("kill -9", "mort de rire") are
not here, and despair said of code or with a laugh ("mein Code ist hoffnungslos", "hopeloos
haha") does not count (a figure of speech of ``rules_safety_figures``).
"""

from __future__ import annotations

import re

from bot.escalation.intents.kinds import SafetyKind

_SH = SafetyKind.SELF_HARM
_HO = SafetyKind.HOPELESSNESS
_TH = SafetyKind.THREAT
_HA = SafetyKind.HARASSMENT
_AB = SafetyKind.ABUSE
_ME = SafetyKind.MEDICAL

# (language, kind, pattern)
_SAFETY: list[tuple[str, SafetyKind, str]] = [
    (
        "de",
        _SH,
        r"selbstmord|suizid\w*|mich\s+umbringen|nicht\s+mehr\s+leben|(?:will|möchte)\s+sterben|"
        r"mir\s+(?:etwas|was)\s+an(?:zu)?tun|(?:mich|mir)\s+(?:\w+\s+){0,3}?selbst\s+verletz\w*|ritze\s+mich|"
        r"(?:schluss|ein\s+ende)\s+(?:zu\s+)?machen\s+(?:mit\s+)?(?:mir|allem|meinem\s+leben)|"
        r"nicht\s+mehr\s+aufwachen|allem\s+ein\s+ende\s+(?:setzen|machen)|tabletten\s+(?:hab\s+ich\s+|habe\s+ich\s+)?"
        r"(?:schon\s+)?(?:raus|bereit)gelegt|egal,?\s+ob\s+ich\s+noch\s+(?:da|hier)\s+bin",
    ),
    (
        "de",
        _HO,
        r"(?<!code\s)(?<!fall\s)hoffnungslos(?!e[rn]?\s+fall)|hat\s+(?:alles\s+)?keinen\s+sinn\s+mehr|"
        r"keinen\s+sinn\s+mehr\s+(?:\w+\s+){0,2}?(?:weiterzu\w+|zu\s+leben)|es\s+wird\s+(?:eh\s+)?nie\s+"
        r"besser|bin\s+(?:ein\s+)?(?:totale[rs]?\s+)?(?:versager|nichts\s+wert)|alles\s+ist\s+sinnlos|"
        r"halte\s+(?:das|es)\s+(?:alles\s+)?nicht\s+mehr\s+aus",
    ),
    (
        "de",
        _TH,
        r"ich\s+(?:bringe|bring)\s+(?:ihn|sie|dich)\s+um|"
        r"ich\s+(?:werde|will)\s+(?:ihn|sie|dich|de[nmr]\s+\w+|die\s+\w+)\s+(?:schlagen|umbringen|"
        r"verprügeln|abstechen)|weiß,?\s+wo\s+(?:de[rn]|die|er|sie)\s+(?:\w+\s+)?wohnt|"
        r"(?:wird|werden)\s+(?:es\s+)?bereuen|(?:hau|schlag)\s+(?:ich\s+)?(?:ihm|ihr|ihn|dem)\s+"
        r"(?:\w+\s+)?(?:eine|die\s+fresse|aufs\s+maul)|mach\s+(?:ich\s+)?(?:ihn|sie)\s+fertig",
    ),
    (
        "de",
        _HA,
        r"belästig\w*|gemobbt|mobbing|mobbt\s+mich|bemerkungen\s+über\s+mein(?:en?)?\s+(?:aussehen|"
        r"körper)|(?:anzügliche|sexuelle|eklige)\s+(?:nachrichten|bemerkungen|sprüche)|"
        r"stalkt\s+mich|verfolgt\s+mich|(?:lachen|lustig\s+machen)\s+(?:\w+\s+){0,2}?über\s+(?:mich|meinen?)\b|"
        r"memes\s+über\s+mich",
    ),
    (
        "de",
        _AB,
        r"(?:schlägt|verprügelt)\s+mich|häusliche\s+gewalt|wird\s+(?:er|sie)\s+handgreiflich|"
        r"kontrolliert\s+mein\s+(?:handy|telefon)|sperrt\s+mich\s+ein|wird\s+gewalttätig|"
        r"(?:wieder\s+)?(?:getrunken|betrunken)\b[^.?!]{0,40}?\b(?:eingeschlossen|versteckt|angst)",
    ),
    (
        "de",
        _ME,
        r"notarzt|krankenwagen|bekomme\s+keine\s+luft|bewusstlos|ohnmächtig|atmet\s+nicht|"
        r"schmerzen\s+in\s+der\s+brust|brustschmerzen|krampfanfall|blutet\s+(?:sehr\s+)?stark|"
        r"(?:aus\s+dem\s+putzschrank|tabletten|pillen)\s+(?:\w+\s+){0,2}?(?:getrunken|geschluckt|genommen)|"
        r"(?:getrunken|geschluckt)\b[^.?!]{0,30}?was\s+(?:mach|soll)\s+ich",
    ),
    (
        "fr",
        _SH,
        r"suicid\w*|(?<!va\s)me\s+tuer|mettre\s+fin\s+à\s+(?:mes\s+jours|ma\s+vie)|"
        r"(?:envie\s+de|veux)\s+mourir|me\s+faire\s+du\s+mal|(?:fait|faire)\s+du\s+mal\s+(?:à\s+moi|"
        r"encore)|en\s+finir|me\s+scarifi\w*|me\s+suis\s+(?:encore\s+)?(?:fait\s+du\s+mal|blessée?\s+"
        r"exprès|coupée?)",
    ),
    (
        "fr",
        _HO,
        r"n'en\s+peux\s+plus(?!\s+de\s+ce\s+(?:bug|code))|sans\s+espoir|désespér(?:é|ée|ément|ation)\b|"
        r"(?:ne\s+)?sers?\s+à\s+rien(?=\s+(?:dans\s+la\s+vie|de\s+(?:continuer|vivre)))|plus\s+aucun\s+"
        r"sens|rien\s+ne\s+va\s+jamais\s+s'arranger|je\s+suis\s+un\s+(?:échec|nul\s+dans\s+la\s+vie)",
    ),
    (
        "fr",
        _TH,
        r"je\s+vais\s+(?:le|la|te|les)\s+(?:tuer|frapper|buter)|je\s+vais\s+(?:tuer|frapper|buter)"
        r"\s+(?:le|la|les|ce|cette|mon|ma|mes)\b|(?:lui|leur)\s+casser\s+la\s+(?:gueule|figure)|"
        r"va\s+regretter|l'attendre\s+à\s+la\s+sortie|je\s+sais\s+où\s+(?:il|elle)\s+habite",
    ),
    (
        "fr",
        _HA,
        r"harc[eè]l\w*|remarques\s+sur\s+mon\s+(?:corps|physique)|messages\s+(?:\w+\s+)?(?:sexuels|"
        r"déplacés|obscènes)|se\s+moquen?t?\s+de\s+moi|surnom\s+humiliant",
    ),
    (
        "fr",
        _AB,
        r"(?:me\s+frappe|me\s+bat)\b|violences?\s+conjugales?|m'enferme|(?:me\s+prend|contr[oô]le)\s+"
        r"mon\s+(?:téléphone|portable)|devient\s+violent",
    ),
    (
        "fr",
        _ME,
        r"urgence\s+médicale|appeler\s+le\s+samu|n'arrive\s+plus\s+à\s+respirer|inconscient\w*|"
        r"(?:s'est\s+)?évanoui\w*|ne\s+respire\s+plus|mal\s+à\s+la\s+poitrine|du\s+mal\s+à\s+respirer|"
        r"fait\s+une\s+crise\b(?!\s+de\s+(?:rire|nerfs))|(?:il|elle)\s+(?:ne\s+)?répond\s+plus\b|"
        r"douleur\s+(?:\w+\s+)?dans\s+la\s+poitrine|a\s+(?:avalé|bu)\s+(?:des\s+médicaments|de\s+l'eau\s+de\s+"
        r"javel|du\s+produit)",
    ),
    (
        "es",
        _SH,
        r"suicid\w*|matarme|quitarme\s+la\s+vida|quiero\s+morir|hacerme\s+daño|acabar\s+con\s+todo|"
        r"me\s+(?:he\s+)?(?:vuelto\s+a\s+)?cort(?:o|é|ado)\b|no\s+quiero\s+seguir\s+viviendo|pastillas\s+"
        r"(?:\w+\s+){0,3}?(?:no\s+despertar|morir|matarme)",
    ),
    (
        "es",
        _HO,
        r"no\s+puedo\s+más|sin\s+esperanza|nada\s+tiene\s+sentido|no\s+le\s+veo\s+sentido\s+a\s+"
        r"(?:nada|la\s+vida|seguir)|soy\s+un\s+fracaso",
    ),
    (
        "es",
        _TH,
        r"voy\s+a\s+(?:matar|golpear|pegar|apuñalar)\s+a|voy\s+a\s+(?:matar|golpear|pegar|"
        r"apuñalar)(?:lo|la|los|las|te)\b|le\s+(?:parto|voy\s+a\s+partir)\s+la\s+cara|se\s+va\s+a\s+arrepentir|"
        r"sé\s+dónde\s+vive|voy\s+a\s+por\s+(?:él|ella)|tengo\s+la\s+dirección\s+del?",
    ),
    (
        "es",
        _HA,
        r"acos(?:o|a|ando|an)\b|me\s+acosan|se\s+burla\s+de\s+m[ií]|mensajes\s+(?:\w+\s+){0,2}?(?:subidos"
        r"\s+de\s+tono|sexuales|obscenos)",
    ),
    (
        "es",
        _AB,
        r"me\s+(?:pega|golpea)\b|violencia\s+(?:doméstica|de\s+género)|controla\s+mi\s+(?:móvil|movil|"
        r"celular|teléfono)|se\s+pone\s+violento",
    ),
    (
        "es",
        _ME,
        r"ambulancia|emergencia\s+médica|no\s+puedo\s+respirar|inconsciente|desmay(?:ado|ada|ó)|"
        r"no\s+respira|(?:me\s+)?duele\s+(?:\w+\s+)?el\s+pecho|me\s+cuesta\s+respirar|se\s+ha\s+desplomado|"
        r"no\s+responde\b|se\s+(?:ha\s+)?(?:tomado|tragado|bebido)\s+(?:\w+\s+){0,2}?(?:pastillas|lejía|"
        r"detergente)",
    ),
    (
        "nl",
        _SH,
        r"zelfmoord|su[iï]cid\w*|wil\s+dood|wil\s+niet\s+meer\s+leven|mezelf\s+(?:iets\s+aandoen|pijn\s+"
        r"doen|snijden)|er\s+een\s+(?:eind|einde)\s+aan\s+(?:te\s+)?maken|snij\s+ik\s+mezelf|ik\s+snij\s+"
        r"mezelf",
    ),
    (
        "nl",
        _HO,
        r"hopeloos(?!\s+geval)|heeft\s+(?:allemaal\s+)?geen\s+zin\s+meer|alles\s+voelt\s+zinloos|"
        r"zie\s+het\s+(?:echt\s+)?niet\s+meer\s+zitten|ik\s+ben\s+(?:een\s+)?mislukkeling",
    ),
    (
        "nl",
        _TH,
        r"ik\s+(?:ga|sla)\s+(?:hem|haar)\s+(?:in\s+elkaar|slaan|vermoorden)|sla\s+ik\s+(?:hem|haar)\s+"
        r"in\s+elkaar|ik\s+vermoord\s+(?:hem|haar|je)|weet\s+waar\s+(?:hij|zij|ze)\s+woont|sla\s+ik\s+"
        r"(?:\w+\s+)?in\s+elkaar|(?:gaat|zal)\s+(?:hij|zij|ze)\s+(?:het\s+)?merken|bij\s+(?:hem|haar)\s+op\s+"
        r"de\s+stoep",
    ),
    (
        "nl",
        _HA,
        r"lastig\s*gevallen|ongepaste\s+berichten|gepest|pesten\s+me|intimideert\s+me|seksueel\s+"
        r"getinte|seksuele\s+(?:opmerkingen|berichten)|lachen\s+(?:ze\s+)?me\s+uit|"
        r"screenshots\s+van\s+mijn",
    ),
    (
        "nl",
        _AB,
        r"slaat\s+me|huiselijk\s+geweld|controleert\s+mijn\s+telefoon|wordt\s+agressief|sluit\s+me\s+op",
    ),
    (
        "nl",
        _ME,
        r"noodgeval|kan\s+niet\s+(?:meer\s+)?ademen|bel\s+een\s+ambulance|bewusteloos|flauwgevallen|"
        r"ademt\s+niet|pijn\s+op\s+(?:de|mijn)\s+borst|krijg\s+(?:moeilijk|geen)\s+lucht|(?:pillen|"
        r"medicijnen|schoonmaakmiddel)\s+(?:\w+\s+){0,3}?(?:ingeslikt|opgedronken|geslikt)",
    ),
    (
        "pt",
        _SH,
        r"suicid\w*|me\s+matar|tirar\s+a\s+minha\s+vida|quero\s+morrer|me\s+machucar|magoar-me|"
        r"pôr\s+fim\s+a\s+(?:isto|tudo|minha\s+vida)|acabar\s+com\s+tudo|me\s+cort(?:o|ei)\b",
    ),
    (
        "pt",
        _HO,
        r"não\s+aguento\s+mais|sem\s+esperança|sou\s+um\s+fracasso|nada\s+faz\s+sentido|não\s+vejo\s+"
        r"mais\s+sentido",
    ),
    (
        "pt",
        _TH,
        r"vou\s+(?:matar|bater\s+n(?:o|a|ele|ela)|agredir|esfaquear)|(?:sei|eu\s+sei)\s+onde\s+(?:ele|"
        r"ela)\s+(?:mora|estuda)|vai\s+se\s+arrepender|quebro\s+a\s+cara|vai\s+apanhar",
    ),
    (
        "pt",
        _HA,
        r"assédio|assedia\w*|(?:mensage(?:m|ns)|comentários)\s+(?:\w+\s+){0,3}?(?:sexua(?:l|is)|sobre\s+o\s+"
        r"meu\s+corpo)|indireta\s+sexual",
    ),
    (
        "pt",
        _AB,
        r"me\s+bate\b|violência\s+doméstica|controla\s+o?\s*meu\s+(?:celular|telemóvel|telefone)|"
        r"fica\s+violento",
    ),
    (
        "pt",
        _ME,
        r"ambulância|emergência\s+médica|não\s+consigo\s+respirar|inconsciente|desmai(?:ou|ad[oa])|"
        r"não\s+respira|dor\s+(?:muito\s+)?(?:forte\s+)?no\s+peito|falta\s+de\s+ar|a\s+sangrar\s+muito|"
        r"sangrando\s+muito|engoliu\s+(?:\w+\s+){0,2}?(?:detergente|comprimidos|remédios|lixívia|água\s+"
        r"sanitária)",
    ),
    (
        "it",
        _SH,
        r"suicid\w*|uccidermi|togliermi\s+la\s+vita|voglio\s+morire|farmi\s+del\s+male|farla\s+finita|"
        r"la\s+faccio\s+finita|mi\s+faccio\s+del\s+male|"
        r"mi\s+sono\s+(?:di\s+nuovo\s+)?tagliat[oa]",
    ),
    (
        "it",
        _HO,
        r"non\s+ce\s+la\s+faccio\s+più|senza\s+speranza|niente\s+ha\s+più\s+senso|sono\s+un\s+fallito|"
        r"a\s+che\s+serve\s+continuare|sono\s+una\s+delusione",
    ),
    (
        "it",
        _TH,
        r"(?:lo|la|ti)\s+(?:ammazzo|picchio|uccido)|vado\s+a\s+picchiare|(?:gli|le)\s+spacco\s+la\s+"
        r"faccia|so\s+dove\s+abita|si\s+pentirà",
    ),
    (
        "it",
        _HA,
        r"molesti[ae]|molestat[oaie]|mi\s+molesta|mi\s+perseguita|mi\s+prendono\s+in\s+giro|"
        r"cose\s+schifose|mi\s+umilia|messaggi\s+(?:\w+\s+){0,2}?(?:volgari|sessuali|osceni)",
    ),
    (
        "it",
        _AB,
        r"mi\s+(?:picchia|maltratta)|violenza\s+domestica|mi\s+controlla\s+il\s+telefono|diventa\s+"
        r"violento|ubriaco\b[^.?!]{0,40}?\b(?:spaccato|picchiato|chius[oa])",
    ),
    (
        "it",
        _ME,
        r"ambulanza|emergenza\s+medica|non\s+riesco\s+a\s+respirare|svenut[oa]|priv[oa]\s+di\s+sensi|"
        r"non\s+respira|dolore\s+(?:forte\s+)?al\s+petto",
    ),
]

# (rule name, kind, pattern) for safety phrases; despair said of code or with a laugh is among
# the figures of speech of ``rules_safety_figures``.
OTHER_SAFETY_PATTERNS = [
    (f"{kind.value} ({lang})", kind, re.compile(rf"(?<!\w)(?:{pattern})", re.IGNORECASE))
    for lang, kind, pattern in _SAFETY
]
