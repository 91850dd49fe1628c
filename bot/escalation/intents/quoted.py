"""Text a learner quotes from a program is not the learner speaking.

A learner debugging a chatbot writes 'my program asks "Do you want to talk to a human? (y/n)"',
pastes ``input('Can I talk to a real person? ')`` or a game's ``print('you died')``: the words
are the program's, and asking for a person or raising a concern is what the learner would have
to say in their own words. Before the detector reads a message, these parts become a gap:

* code: fenced blocks and inline code between backticks, as Slack sends them;
* string literals in code: a quoted string right after ``(`` or ``=``, or after the comma that
  follows another (``print("...")``, ``x = '...'``, ``f("a", "b")``), with an optional prefix
  (``f"..."``);
* quotes the message says a program produced or a learner typed into one: after "my program
  asks", "the bot replies", "the error says", "it prints", "when i type"...;
* code pasted without backticks (a ``class`` or ``def`` header, to its colon) and type names
  ("my Mentor class");
* what a program the learner builds is to do: "my chatbot needs to hand off to a human".

Quotes of people stay ("my mentor said "ask the bot first", but i need a person"), and so does
everything around a quote. Single quotes are told from apostrophes by what is around them: an
opening quote follows a space or the framing, a closing one is not followed by a letter.
"""

from __future__ import annotations

import re

# What replaces a quoted part: a gap that joins no words and matches no rule.
GAP = " … "

_FENCED = re.compile(r"```.*?(?:```|\Z)", re.DOTALL)
_INLINE = re.compile(r"`[^`\n]{1,500}`")
# A quoted string of one line, in any of the quote pairs learners type (Slack passes curly ones
# through from phones). The closing single quote is not an apostrophe inside a word.
_QUOTED = (
    r"(?:\"[^\"\n]{1,500}\""
    r"|“[^”\n]{1,500}”"
    r"|‘[^’\n]{1,500}’"
    r"|'(?:[^'\n]|'(?=[a-z]))+'(?![a-z]))"
)
# After "(" or "=", or after "," that follows a closing quote (a second argument).
_LITERAL = re.compile(rf"(?:(?<=[(=])|(?<=[\"'”’],))\s*[fFrRbBuU]{{0,2}}{_QUOTED}")
_PROGRAM = (
    r"(?:program|code|script|app|bot|chatbot|function|method|prompt|loop|game|output|terminal|"
    r"console|shell|error|message|exception|traceback|window|screen|test|it|this|that|python)"
)
_SHOWS = (
    r"(?:asks?|asked|asking|prints?|printed|printing|says?|said|saying|shows?|showed|showing|"
    r"displays?|displayed|outputs?|returns?|returned|gives?|gave|writes?|wrote|reads?|replies|"
    r"replied|responds?|responded|answers?|answered|pops? up(?: with)?|comes? up with|spits? out|"
    r"throws?|raises?)"
)
_TYPED = r"(?:type|typed|typing|enter|entered|entering|input|inputted|put in)"
_FRAMED = re.compile(
    rf"(?:\b{_PROGRAM}\s+(?:\w+\s+){{0,2}}?{_SHOWS}|\b{_TYPED}(?:\s+in)?)"
    rf"(?:\s+(?:me|back|out|something like|this|like))?\s*:?\s*(?P<quote>{_QUOTED})",
    re.IGNORECASE,
)


# The header of a class or function defined in a message without backticks, to its colon.
_DEFINITION = re.compile(
    r"\b(?:class|def)\s+[A-Za-z_]\w*\s*(?:\([^()\n]{0,200}\))?\s*(?:->\s*[^:\n]{1,60})?:"
)
# A capitalised name used as a type ("my Mentor class", "a Teacher object"): an identifier.
_TYPE_NAME = re.compile(
    r"\b[A-Z][A-Za-z]*\s+(?:class|object|instance|model|dataclass|entity|record)(?:es|s)?\b"
)
# What a program the learner builds is to do: "my chatbot needs to hand off to a human", "i want
# my discord bot to ping the admin role", "the app should escalate to a live agent". The program
# reaches the person, by a verb of its own (a modal or "to" before it, or its third person), not
# the learner asking someone to ("my code is broken can you forward it to a trainer").
_PROGRAM_REACHES = re.compile(
    r"\b(?:chat ?bot|bot|app|program|script|system|code|function|tool|website|site|game|"
    r"assistant|project|service|backend|server)\s+(?:\w+\s+){0,2}?"
    r"(?:(?:needs? to|has to|have to|should|must|will|would|is supposed to|to|can|could|"
    r"that|which)\s+(?:automatically\s+|then\s+|just\s+|also\s+|only\s+|immediately\s+)?"
    r"(?:hand(?:s)? (?:it )?(?:off|over)|escalate|transfer|forward|route|notify|ping|alert|"
    r"email|message|contact|pass (?:it )?on)"
    r"|(?:hands (?:it )?(?:off|over)|escalates|transfers|forwards|routes|notifies|pings|alerts|"
    r"emails|messages|contacts|passes (?:it )?on))"
    r"\s+(?:it\s+|them\s+|the (?:chat|conversation|user|ticket)\s+)?(?:to\s+)?"
    r"(?:an?\s+|the\s+|some\s+)?(?:real\s+|live\s+)?"
    r"(?:human|person|agent|admin\w*|staff|operator|moderator|support|team|role|owner)s?\b",
    re.IGNORECASE,
)


def without_program_text(text: str) -> str:
    """The message with code, the text it quotes from programs, and what a program it
    describes is to do, replaced by gaps."""
    text = _PROGRAM_REACHES.sub(GAP, _TYPE_NAME.sub(GAP, _DEFINITION.sub(GAP, text)))
    if not any(mark in text for mark in "`\"'“‘"):
        return text
    text = _FENCED.sub(GAP, text)
    text = _INLINE.sub(GAP, text)
    text = _LITERAL.sub(GAP, text)
    return _FRAMED.sub(lambda m: text_before(m) + GAP, text)


def text_before(match: re.Match[str]) -> str:
    """What a framed quote's match holds before the quote: the framing words stay."""
    return match.string[match.start() : match.start("quote")]
