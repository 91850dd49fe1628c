"""What ``/coach help`` lists, by role: each person sees only what they may do."""

from __future__ import annotations

from bot.people.permissions import Role

LEARNER_HELP = (
    "Ask me anything about your course in a direct message: I answer from the course material, "
    "and a trainer is one click away (*Escalate to trainer*). Your open questions are on my "
    "*Home* tab."
)
TRAINER_LINES = (
    "`/coach courses` — courses with chunk counts and last index run",
    "`/coach trainers` — trainers with their courses and open load",
    "`/coach learner @learner` — a learner's courses and trainer",
    "`/coach settings course-slug` — a course's thresholds and coaching mode",
    "`/coach escalations [course=slug] [status=pending] [trainer=@who]` — open escalations",
    "`/coach escalation ESC-1001` — one escalation",
    "`/coach stats [days] [course=slug]` — stats (default 7 days) and a chart in your DM",
    "`/coach export [days] [course=slug]` — escalations as CSV in your DM (default 30 days)",
    "`/coach gaps [course-slug] [days] [csv]` — questions the coach could not answer, grouped "
    "(default 30 days; `csv`: every question as CSV in your DM)",
    "`/coach persona list` — coach personas",
    "`/coach faq course-slug` — the course's FAQ entries (saved when resolving a ticket)",
    "`/coach faq remove ID` — remove an FAQ entry of your course",
)
ADMIN_LINES = (
    "`/coach enroll @learner [@more ...] course-slug` — enrol (no mentions: paste many in a form)",
    "`/coach trainer add|remove @trainer`",
    "`/coach trainer allocate|unallocate @trainer course-slug`",
    "`/coach trainer backup @trainer @backup` (or `none`)",
    "`/coach settings course-slug threshold=0.4 turns=8 auto_close_days=7`",
    "`/coach settings course-slug mode answer|hint|socratic` — how fully labs are coached "
    "(a lab's own `coaching:` front matter wins)",
    "`/coach escalation ESC-1001 reassign @trainer` / `... dismiss reason`",
    '`/coach persona set @trainer course-slug "Jane\'s AI Coach" share=name_only|name_expertise'
    '|full expertise="..." bio="..."`',
    "`/coach persona remove @trainer course-slug`",
    "`/coach admins` — this workspace's admins",
    "`/coach admin add|remove @user` — the last admin cannot be removed",
    "`/coach channel [#channel]` — where escalation cards go (invite me to the channel first)",
)


def help_text(role: Role) -> str:
    """The commands ``role`` may run, one per line."""
    if role is Role.LEARNER:
        return LEARNER_HELP
    lines = list(TRAINER_LINES)
    if role is Role.ADMIN:
        lines += ADMIN_LINES
    return "\n".join(f"• {line}" for line in lines)
