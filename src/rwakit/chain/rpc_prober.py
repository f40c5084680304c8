"""A daemon thread that runs the pool's health probe every interval until stopped."""

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class HealthProber:
    def __init__(self, probe: Callable[[], None], interval: float, *, name: str) -> None:
        self._probe = probe
        self._interval = interval
        self._stopped = threading.Event()
        # Daemon: a pool someone forgot to close must not keep the interpreter alive.
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()

    def _run(self) -> None:
        # Probe at once, so standby endpoints show their real health from the start.
        while not self._stopped.is_set():
            try:
                self._probe()
            except Exception:  # a probe bug must not silently end health checking
                log.exception("RPC health probe failed")
            self._stopped.wait(self._interval)
