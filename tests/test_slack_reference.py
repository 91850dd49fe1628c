"""The Slack reference data lives in the repository, so tests pass from any clone."""

from __future__ import annotations

from pathlib import Path

from tests.fakes.slack_contract import METHODS_DIR, SLACK_REFERENCE

ROOT = Path(__file__).resolve().parents[1]


def test_the_reference_is_inside_the_repository() -> None:
    assert SLACK_REFERENCE.is_relative_to(ROOT)
    assert (METHODS_DIR / "auth.test.json").is_file()
    assert len(list(METHODS_DIR.glob("*.json"))) > 300


def test_every_vendored_folder_keeps_its_licence() -> None:
    folders = ["manifest-schema", "web-api"]
    folders += [f"payloads/{name}" for name in ("bolt-python", "socket-mode", "field-shapes")]
    for folder in folders:
        assert list((SLACK_REFERENCE / folder).glob("LICENSE*")), folder
    assert (SLACK_REFERENCE / "README.md").is_file()


def test_the_reference_holds_data_only() -> None:
    assert list(SLACK_REFERENCE.rglob("*.py")) == []
