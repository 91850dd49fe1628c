"""Pytest fixtures for the fakes; import them into a conftest.py:

from tests.fakes.fixtures import fake_llm, fake_slack  # noqa: F401
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.llm import FakeLLM
from tests.fakes.slack_api import FakeSlack


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    """A fresh fake Slack Web API per test."""
    async with FakeSlack() as slack:
        yield slack


@pytest.fixture
async def fake_llm() -> AsyncIterator[FakeLLM]:
    """A fresh fake OpenAI-compatible server per test."""
    async with FakeLLM() as llm:
        yield llm
