"""Options several commands share."""

from __future__ import annotations

from typing import Annotated

import typer

Verbose = Annotated[
    bool,
    typer.Option(
        "--verbose",
        "-v",
        help="Also show the logs of the embedded database server and of the libraries.",
    ),
]

WorkspaceOption = Annotated[
    str | None,
    typer.Option(
        "--workspace",
        help="The Slack team id (T...) to work in; needed only when the bot serves several.",
    ),
]
