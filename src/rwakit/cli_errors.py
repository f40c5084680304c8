"""The one place where operator errors become a single red line and a non-zero exit."""

from typing import Any

import typer
from typer.core import TyperGroup

from rwakit.errors import RwakitError


class OperatorErrorGroup(TyperGroup):
    """A Typer group that turns any RwakitError raised by a (sub)command into ``error: …``.

    Subcommands and sub-apps run inside the group's ``invoke``, so catching here covers every
    command registered now or later, under both the console script and typer's CliRunner.
    Other exceptions are bugs and keep their traceback.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except RwakitError as exc:
            typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(code=1) from None
