"""A local anvil node that rwakit starts, waits for, and always stops again."""

import atexit
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Self

import httpx

from rwakit.chain.errors import ChainError
from rwakit.chain.probe import rpc_chain_id
from rwakit.checkout import repo_root
from rwakit.config import Settings

NPM_BINARY = Path("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil")
LOOPBACK = "127.0.0.1"


def find_anvil(override: Path | None = None) -> Path:
    """Settings override, then the pinned npm binary in the repo or cwd, then PATH."""
    if override is not None:
        if override.is_file():
            return override
        raise ChainError(f"RWAKIT_ANVIL_PATH points at {override}, which does not exist — fix it")
    roots = [root for root in (repo_root(), Path.cwd()) if root is not None]
    for root in roots:
        candidate = root / NPM_BINARY
        if candidate.is_file():
            return candidate
    on_path = shutil.which("anvil")
    if on_path:
        return Path(on_path)
    raise ChainError(
        "anvil not found — run `make up` (or `npm install` in the repo root), "
        "or set RWAKIT_ANVIL_PATH"
    )


def free_loopback_port() -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


class ManagedAnvil:
    """anvil on a free loopback port; a context manager, and stopped at interpreter exit."""

    def __init__(
        self,
        *,
        block_time: float = 1.0,
        gas_limit: int = 30_000_000,
        chain_id: int | None = None,
        binary: Path | None = None,
        extra_args: Sequence[str] = (),
        startup_timeout: float = 15.0,
    ) -> None:
        self.block_time = block_time
        self.gas_limit = gas_limit
        self.requested_chain_id = chain_id
        self.binary = binary
        self.extra_args = tuple(extra_args)
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.port: int | None = None
        self._chain_id: int | None = None
        self._log: IO[bytes] | None = None

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: object) -> Self:
        options: dict[str, object] = {
            "block_time": settings.block_time,
            "gas_limit": settings.gas_limit,
            "chain_id": settings.chain_id,
            "binary": settings.anvil_path,
        }
        options.update(overrides)
        return cls(**options)  # type: ignore[arg-type]

    @property
    def url(self) -> str:
        if self.port is None:
            raise ChainError("anvil is not running — call start() first")
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def chain_id(self) -> int:
        if self._chain_id is None:
            raise ChainError("anvil is not running — call start() first")
        return self._chain_id

    def command(self, port: int) -> list[str]:
        args = [str(find_anvil(self.binary)), "--host", LOOPBACK, "--port", str(port)]
        args += ["--gas-limit", str(self.gas_limit), "--silent"]
        # anvil rejects --block-time 0; leaving it out means a block per transaction.
        if self.block_time > 0:
            args += ["--block-time", f"{self.block_time:g}"]
        if self.requested_chain_id is not None:
            args += ["--chain-id", str(self.requested_chain_id)]
        return args + list(self.extra_args)

    def start(self) -> Self:
        if self.process is not None:
            return self
        # Another process can take the free port between our probe and anvil's bind; retry.
        last_error = ""
        for _attempt in range(3):
            port = free_loopback_port()
            command = self.command(port)
            # stderr goes to a file, not a pipe nobody drains; it lives as long as anvil.
            self._log = tempfile.TemporaryFile()  # noqa: SIM115
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=self._log)
            self.port = port
            atexit.register(self.stop)
            try:
                self._chain_id = self._wait_until_answering()
                return self
            except _ExitedEarly as exc:
                last_error = str(exc)
                self.stop()
        raise ChainError(f"anvil failed to start: {last_error} — check RWAKIT_ANVIL_PATH")

    def _wait_until_answering(self) -> int:
        assert self.process is not None
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise _ExitedEarly(self._stderr_tail() or f"exit code {self.process.returncode}")
            try:
                return rpc_chain_id(self.url, timeout=0.5)
            except (httpx.HTTPError, ValueError, KeyError, TypeError):
                time.sleep(0.01)  # a poll interval, not a guess at readiness
        self.stop()
        raise ChainError(
            f"anvil did not answer within {self.startup_timeout:g}s — check the machine's load"
        )

    def _stderr_tail(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        lines = self._log.read().decode(errors="replace").strip().splitlines()
        return lines[0] if lines else ""

    def stop(self, timeout: float = 5.0) -> None:
        """Terminate anvil, killing it if it ignores the request; safe to call twice."""
        process, self.process = self.process, None
        atexit.unregister(self.stop)
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
        self.port = None
        self._chain_id = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class _ExitedEarly(Exception):
    """anvil quit before answering (e.g. its port was taken)."""
