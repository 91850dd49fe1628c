"""Every Slack identifier the app uses, in one place; a test checks them against the manifest."""

from __future__ import annotations

from enum import StrEnum


class ActionId(StrEnum):
    """``action_id`` of every interactive element."""

    FEEDBACK_HELPFUL = "feedback_helpful"
    FEEDBACK_NOT_HELPFUL = "feedback_not_helpful"
    FEEDBACK_REASON_INPUT = "feedback_reason_input"
    FEEDBACK_COMMENT_INPUT = "feedback_comment_input"
    ESCALATE = "escalate_to_trainer"
    CLAIM = "escalation_claim"
    RESOLVE = "escalation_resolve"
    REASSIGN = "escalation_reassign"
    DISMISS = "escalation_dismiss"
    DRAFT_REPLY = "escalation_draft_reply"
    CORRECT_AI = "escalation_correct_ai"
    RATE_RESOLVED_YES = "resolution_rating_yes"
    RATE_RESOLVED_NO = "resolution_rating_no"
    PAGE = "list_page"
    BULK_ENROL_USERS = "bulk_enrol_users"


class CallbackId(StrEnum):
    """``callback_id`` of every modal."""

    FEEDBACK = "feedback_modal"
    ESCALATE = "escalate_modal"
    RESOLVE = "resolve_modal"
    REASSIGN = "reassign_modal"
    DISMISS = "dismiss_modal"
    DRAFT_REPLY = "draft_reply_modal"
    CORRECT_AI = "correct_ai_modal"
    BULK_ENROL = "bulk_enrol_modal"


class BlockId(StrEnum):
    """``block_id`` of modal inputs whose values handlers read."""

    FEEDBACK_REASON = "feedback_reason"
    FEEDBACK_COMMENT = "feedback_comment"
    ESCALATE_NOTE = "escalate_note"
    RESOLUTION_NOTES = "resolution_notes"
    FAQ_SAVE = "faq_save"
    FAQ_QUESTION = "faq_question"
    FAQ_ANSWER = "faq_answer"
    REASSIGN_TO = "reassign_to"
    DISMISS_REASON = "dismiss_reason"
    DRAFT_TEXT = "draft_text"
    CORRECTION_TEXT = "correction_text"
    CORRECTION_NOTE = "correction_note"
    BULK_ENROL_USERS = "bulk_enrol_users"


class SlashCommand(StrEnum):
    """Slash commands declared in ``app_manifest.yml``."""

    COACH = "/coach"
