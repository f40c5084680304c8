"""`rwakit up` end to end: managed chain, deployment, demo, page, clean stop on SIGTERM."""

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from rwakit.chain.anvil import free_loopback_port
from rwakit.chain.probe import rpc_chain_id


class _Lines:
    """The child's stdout, read by a thread so waiting for a line can have a deadline
    (select() on a buffered pipe misses lines already read into the buffer)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.queue.put(line)
        self.queue.put(None)  # end of output: the child exited

    def containing(self, text: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                stderr = self.process.stderr.read() if self.process.stderr else ""
                pytest.fail(f"`rwakit up` exited before printing {text!r}: {stderr}")
            self.seen.append(line)
            if text in line:
                return line
        pytest.fail(f"no line with {text!r} within {timeout}s; printed: {self.seen!r}")


def test_up_serves_the_demo_and_stops_cleanly(data_dir: Path) -> None:
    port = free_loopback_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RWAKIT_")}
    env |= {
        "RWAKIT_BLOCK_TIME": "0",
        "RWAKIT_PORT": str(port),
        "RWAKIT_DATA_DIR": str(data_dir),
        "COLUMNS": "200",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "rwakit", "up"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = _Lines(process)
        chain_url = lines.containing("managed anvil at", timeout=60).split()[3]
        up_line = lines.containing("rwakit is up at", timeout=120)
        assert f"http://127.0.0.1:{port}/" in up_line
        status = httpx.get(f"http://127.0.0.1:{port}/status.json", trust_env=False).json()
        assert {t["symbol"] for t in status["tokens"]} == {"DTB30", "DUSD"}
        assert status["chain"]["rpc_endpoint"] == chain_url.removeprefix("http://")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 128 + signal.SIGTERM
        assert process.stderr is not None
        assert "Traceback" not in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    with pytest.raises(httpx.HTTPError):
        rpc_chain_id(chain_url, timeout=1)  # anvil went away with it
