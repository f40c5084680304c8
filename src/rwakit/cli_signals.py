"""Signals of long-running commands: every way an operator stops one ends it cleanly."""

import signal
from types import FrameType


def stop_on_signals() -> None:
    """SIGTERM/SIGHUP become SystemExit and SIGINT KeyboardInterrupt, so ``with`` blocks (and
    a managed anvil) shut down cleanly.

    Call it at the start of long-running commands. By default SIGTERM kills Python without
    cleanup, which would orphan the anvil child; and a command started in the background of
    a non-interactive shell inherits SIGINT as ignored, so Ctrl-C (or `kill -INT`) would do
    nothing.
    """

    def _exit(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)
    signal.signal(signal.SIGHUP, _exit)
    signal.signal(signal.SIGINT, signal.default_int_handler)
