"""Structured logs: one request id per Slack request, carried into the tasks it caused.

The id is bound in a context variable, so every log line of a request (and of a task run on its
behalf, in any process, because it is stored with the task) carries it without being passed around.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import uuid
import warnings
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime

_request_id: ContextVar[str | None] = ContextVar("coachbot_request_id", default=None)

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is logged as a field.
_STANDARD_ATTRS = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys()
    | {"message", "asctime", "request_id"}
)


def current_request_id() -> str | None:
    """The request id bound to the running request or task, if any."""
    return _request_id.get()


def request_id_for(headers: Mapping[str, str]) -> str:
    """A stable id for a Slack request: retries of one delivery share timestamp and signature."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if timestamp and signature:
        return hashlib.sha256(f"{timestamp}:{signature}".encode()).hexdigest()[:16]
    return uuid.uuid4().hex[:16]


@contextlib.contextmanager
def bound_request_id(request_id: str | None) -> Iterator[None]:
    """Bind ``request_id`` for the code run inside the block."""
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record, so plain and JSON formats can both show it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Attach the bound request id (or "-")."""
        record.request_id = _request_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with ``extra=`` fields included."""

    def format(self, record: logging.LogRecord) -> str:
        """Render ``record`` as JSON."""
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str = "INFO", *, json_lines: bool = False) -> None:
    """Set up the root logger once, at process start."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    if json_lines:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


# The embedded PostgreSQL server's loggers: pgserver logs every initdb/pg_ctl call at INFO with its
# output, and dumps the server log at ERROR when the server fails to start (the command then reports
# that failure in one line of its own).
EMBEDDED_SERVER_LOGGERS = ("pgserver",)


def configure_cli_logging(*, verbose: bool) -> None:
    """Logging for the one-shot commands (ingest, ask, tasks): their own output only, by default.

    Quiet, the root logger shows warnings and errors only, and nothing of the embedded server:
    neither its logs nor platformdirs' XDG_RUNTIME_DIR warning that pgserver triggers. ``verbose``
    shows everything at INFO, the embedded server's command lines and output included.
    """
    root = logging.getLogger()
    if verbose:
        root.setLevel(logging.INFO)
        for name in EMBEDDED_SERVER_LOGGERS:
            logging.getLogger(name).setLevel(logging.NOTSET)
        return
    root.setLevel(logging.WARNING)
    for name in EMBEDDED_SERVER_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
