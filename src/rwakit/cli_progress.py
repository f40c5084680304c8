"""Progress display for long CLI work, on a console the caller picks (stderr when stdout
must stay machine-readable, as with ``--json``)."""

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from rwakit.contracts.build import BuildReport, build_contracts


class RichBuildProgress:
    """A progress bar that only appears once compiling actually starts (not on a cache hit)."""

    def __init__(self, console: Console) -> None:
        columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn())
        self.progress = Progress(*columns, MofNCompleteColumn(), console=console, transient=True)
        self.task = self.progress.add_task("compiling")

    def started(self, total: int) -> None:
        self.progress.update(self.task, total=total)
        self.progress.start()

    def compiling(self, name: str) -> None:
        self.progress.update(self.task, description=f"compiling {name}")

    def compiled(self, name: str) -> None:
        self.progress.advance(self.task)

    def close(self) -> None:
        if self.progress.live.is_started:
            self.progress.stop()


def build_with_progress(console: Console, *, force: bool = False) -> BuildReport:
    """The contract artifacts, with a progress bar on ``console`` if anything compiles."""
    progress = RichBuildProgress(console)
    try:
        return build_contracts(progress=progress, force=force)
    finally:
        progress.close()
