"""Health news that is over or mild: "had food poisoning over the weekend, all good now",
"migraine this morning, took my meds and it's gone now", "back from the hospital, checkup was
fine", "bit of a sore throat so i'll stay muted". Such words read close to a medical emergency
by similarity, yet nothing is happening now.

Only the medical kind is read this way: a learner who says they hurt themselves last month "but
i'm better now" still raises a concern that a person should see.
"""

from __future__ import annotations

import re

# It is over, or it is mild.
_OVER = re.compile(
    r"\b(?:all\s+good(?:\s+now)?|(?:fine|better|ok|okay|recovered|gone|over|healed)\s+now|feeling\s+"
    r"(?:much\s+)?better|(?:checkup|check-up|test|scan|bloodwork)s?\s+(?:was|were|came\s+back)\s+"
    r"(?:fine|ok|okay|clear|normal)|cast\s+(?:is|came|come)\s+off|"
    r"stitches\s+(?:are\s+)?(?:out|removed)|(?:got|had)\s+(?:my|the)\s+stitches\s+(?:out|removed)|"
    r"hangover|lost\s+my\s+voice|(?:she'?s|he'?s|they'?re|is|are)\s+(?:back\s+)?home\s+now|out\s+of\s+"
    r"(?:the\s+)?hospital|healing\s+(?:nicely|well|fine)|(?:can|could)\s+finally\s+\w+|"
    r"(?:work|works|working)\s+(?:fine\s+)?again|(?:properly|normally)\s+again|doing\s+(?:well|fine|"
    r"great)|back\s+(?:to|on)\s+(?:the\s+)?(?:lab|labs|course|"
    r"coding|work|it|track)|back\s+from\s+the\s+(?:hospital|doctor|gp|dentist|clinic)|catching\s+up|"
    r"routine|mild|(?:a\s+)?bit\s+of\s+a|a\s+bit\s+of|a\s+touch\s+of|nothing\s+serious|just\s+a\s+"
    r"(?:cold|cough|headache|migraine|scratch|bruise)|(?:saw|seen|see)\s+(?:the|a|my)\s+(?:gp|doctor|"
    r"dentist)|antibiotics\s+started|got\s+a\s+cold|have\s+a\s+cold|hay\s+fever|sore\s+throat)\b",
    re.IGNORECASE,
)
# Something is happening now, or help is wanted.
_NOW = re.compile(
    r"\?|\b(?:help|911|999|112|ambulance|emergency|right\s+now|just\s+now|can'?t\s+breathe|"
    r"not\s+breathing|unconscious|collapsed|bleeding|what\s+(?:do|should)\s+i\s+do|worse|getting\s+"
    r"worse|scared|urgent)\b",
    re.IGNORECASE,
)


def medical_matter_over(text: str) -> bool:
    """Whether ``text`` tells of health news that is over or mild, with nothing happening now."""
    return _OVER.search(text) is not None and _NOW.search(text) is None
