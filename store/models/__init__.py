"""All tables; importing this module registers them on ``Base.metadata``."""

from store.base import Base
from store.models.content import Chunk, Course, CourseLexeme, IndexRun
from store.models.conversation import Conversation, Feedback, Message, Query, Response
from store.models.copilot import DRAFT_OUTCOMES, AiCorrection, ReplyDraft
from store.models.escalation import OPEN_STATUSES, TICKET_SEQUENCE, AuditEvent, Escalation
from store.models.faq import FaqEntry
from store.models.gaps import GapSummary
from store.models.insight import EscalationInsight
from store.models.ops import Task, Timer
from store.models.people import Enrolment, Persona, Trainer, TrainerCourse
from store.models.session import SessionStop
from store.models.streams import AnswerStream
from store.models.workspace import Workspace, WorkspaceAdmin

__all__ = [
    "DRAFT_OUTCOMES",
    "OPEN_STATUSES",
    "TICKET_SEQUENCE",
    "AiCorrection",
    "AnswerStream",
    "AuditEvent",
    "Base",
    "Chunk",
    "Conversation",
    "Course",
    "CourseLexeme",
    "Enrolment",
    "Escalation",
    "EscalationInsight",
    "FaqEntry",
    "Feedback",
    "GapSummary",
    "IndexRun",
    "Message",
    "Persona",
    "Query",
    "ReplyDraft",
    "Response",
    "SessionStop",
    "Task",
    "Timer",
    "Trainer",
    "TrainerCourse",
    "Workspace",
    "WorkspaceAdmin",
]
