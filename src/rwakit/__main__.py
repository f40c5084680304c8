"""``python -m rwakit`` runs the same CLI as the ``rwakit`` script."""

from rwakit.cli import app

app(prog_name="rwakit")
