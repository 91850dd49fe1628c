"""Local HTTP test doubles: a fake Slack Web API and a fake OpenAI-compatible server."""

from tests.fakes.llm import ChatRequest, EmbeddingRequest, FakeLLM
from tests.fakes.slack_api import FakeSlack, RecordedCall, RejectedCall, UploadedFile

__all__ = [
    "ChatRequest",
    "EmbeddingRequest",
    "FakeLLM",
    "FakeSlack",
    "RecordedCall",
    "RejectedCall",
    "UploadedFile",
]
