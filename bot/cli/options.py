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
