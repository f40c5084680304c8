"""`rwakit up` end to end: managed chain, deployment, demo, page, clean stop on SIGTERM."""

import os
import selectors
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from rwakit.chain.anvil import free_loopback_port
from rwakit.chain.probe import rpc_chain_id
from rwakit.contracts.build import build_contracts


def _line_containing(process: subprocess.Popen[str], text: str, timeout: float) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if not selector.select(left):
                break
            line = process.stdout.readline()
            if not line:
                break  # the process exited
            if text in line:
                return line
    pytest.fail(f"`rwakit up` printed no line with {text!r} within {timeout}s")


def test_up_serves_the_demo_and_stops_cleanly(tmp_path: Path) -> None:
    report = build_contracts()  # hand the child the build cache: no compiling there
    if report.cache_file is not None:
        (tmp_path / "build").mkdir()
        shutil.copy(report.cache_file, tmp_path / "build" / report.cache_file.name)
    port = free_loopback_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RWAKIT_")}
    env |= {
        "RWAKIT_BLOCK_TIME": "0",
        "RWAKIT_PORT": str(port),
        "RWAKIT_DATA_DIR": str(tmp_path),
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
        chain_url = _line_containing(process, "managed anvil at", timeout=60).split()[3]
        up_line = _line_containing(process, "rwakit is up at", timeout=120)
        assert f"http://127.0.0.1:{port}/" in up_line
        status = httpx.get(f"http://127.0.0.1:{port}/status.json", trust_env=False).json()
        assert {t["symbol"] for t in status["tokens"]} == {"DTB30", "DUSD"}
        assert status["chain"]["rpc_url"] == chain_url
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 128 + signal.SIGTERM
        assert "Traceback" not in process.stderr.read() if process.stderr else True
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    with pytest.raises(httpx.HTTPError):
        rpc_chain_id(chain_url, timeout=1)  # anvil went away with it
