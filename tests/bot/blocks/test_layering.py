"""The presentation package sits below the domain: these builders import none of it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bot.blocks

BLOCKS = Path(bot.blocks.__file__).parent
# Builders that take view models only (bot.blocks.admin, home and stats still read domain types).
PURE = ["escalation_card", "escalation_modals", "learner_notices", "labels", "ids", "payloads"]
DOMAIN = ("bot.escalation", "bot.home", "bot.admin", "bot.people", "bot.learner", "store")


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("module", PURE)
def test_builder_imports_no_domain(module: str) -> None:
    bad = {
        name
        for name in imported(BLOCKS / f"{module}.py")
        if any(name == d or name.startswith(f"{d}.") for d in DOMAIN)
    }
    assert bad == set()
