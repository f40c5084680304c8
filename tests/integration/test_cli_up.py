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


def _mint_through_the_api_until_indexed(api: str, status: dict) -> None:
    """The API, the worker and the indexer `up` runs take one operation all the way."""
    with httpx.Client(base_url=f"{api}/api/v1", trust_env=False, timeout=10) as client:
        account = {"email": "admin@example.test", "password": "correct horse battery"}
        assert client.post("/auth/register", json=account).status_code == 201
        tokens = client.post("/auth/token", json=account).json()
        client.headers["Authorization"] = f"Bearer {tokens['access_token']}"
        bond = next(t for t in status["tokens"] if t["symbol"] == "DTB30")
        investor = status["investors"][0]["address"]
        request = {"kind": "mint", "contract": bond["address"]}
        request["params"] = {"to": investor, "amount": "3"}
        answer = client.post("/operations", json=request)
        assert answer.status_code == 202, answer.text
        (op_id,) = answer.json()["ids"]
        deadline = time.monotonic() + 60
        while (state := client.get(f"/operations/{op_id}").json()["state"]) != "indexed":
            assert state != "failed" and time.monotonic() < deadline, state
            time.sleep(0.2)
        portfolio = client.get(f"/portfolio/{investor}")
        assert portfolio.status_code == 200, portfolio.text
        assert bond["address"].lower() in portfolio.text.lower()
        # the API's own RPC pool reports its one node, serving (the first user is the admin)
        endpoints = client.get("/ops/status").json()["rpc_endpoints"]
        assert [(e["up"], e["serving"]) for e in endpoints] == [(True, True)], endpoints


def _create_an_asset_through_the_api(api: str) -> None:
    """``POST /assets`` in `up`: an operation the embedded worker sends, indexed like any."""
    with httpx.Client(base_url=f"{api}/api/v1", trust_env=False, timeout=10) as client:
        account = {"email": "admin@example.test", "password": "correct horse battery"}
        tokens = client.post("/auth/token", json=account).json()
        client.headers["Authorization"] = f"Bearer {tokens['access_token']}"
        equity = {"asset_type": "equity", "name": "Up Equity", "symbol": "UPEQ"}
        answer = client.post("/assets", json={**equity, "class_name": "Class A"})
        assert answer.status_code == 202, answer.text
        (op_id,) = answer.json()["ids"]
        deadline = time.monotonic() + 60
        while (op := client.get(f"/operations/{op_id}").json())["state"] != "indexed":
            assert op["state"] != "failed" and time.monotonic() < deadline, op
            time.sleep(0.2)
        assert set(op["result"]["contracts"]) == {"distribution", "voting"}
        asset = client.get(f"/assets/{op['result']['token']}")
        assert asset.status_code == 200, asset.text
        assert asset.json()["asset"]["symbol"] == "UPEQ"


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
    port, api_port = free_loopback_port(), free_loopback_port()
    while api_port == port:
        api_port = free_loopback_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RWAKIT_")}
    env |= {
        "RWAKIT_BLOCK_TIME": "0",
        "RWAKIT_PORT": str(port),
        "RWAKIT_API_PORT": str(api_port),
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
        _mint_through_the_api_until_indexed(f"http://127.0.0.1:{api_port}", status)
        _create_an_asset_through_the_api(f"http://127.0.0.1:{api_port}")
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
