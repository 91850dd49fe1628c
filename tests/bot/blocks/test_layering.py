"""The presentation package sits below the domain: these builders import none of it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bot.blocks

BLOCKS = Path(bot.blocks.__file__).parent
# Every module of the package: builders take view models, never domain types or rows.
PURE = sorted(p.stem for p in BLOCKS.glob("*.py") if p.stem != "__init__")
DOMAIN = (
    *("bot.admin", "bot.coach", "bot.content", "bot.escalation", "bot.home", "bot.learner"),
    *("bot.people", "bot.stats", "bot.tasks", "bot.notify", "bot.inbox", "bot.deps", "store"),
)


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
