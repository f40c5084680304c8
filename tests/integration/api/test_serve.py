"""`rwakit serve` end to end: a real uvicorn process answering over loopback."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from rwakit.chain.anvil import free_loopback_port
from tests.cli_run import assert_one_line_error, run_cli


def wait_for(url: str, process: subprocess.Popen[str], timeout: float = 30) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        try:
            return httpx.get(url, timeout=1)
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError(f"{url} did not answer within {timeout}s")


def test_serve_answers_probes_and_requests(tmp_path: Path) -> None:
    port = free_loopback_port()
    secret = "s3cret-" * 6
    env = {k: v for k, v in os.environ.items() if not k.startswith("RWAKIT_")}
    env.update(
        RWAKIT_DATA_DIR=str(tmp_path),
        RWAKIT_API_PORT=str(port),
        RWAKIT_JWT_SECRET=secret,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "rwakit", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_for(f"{base}/healthz", process).json() == {"status": "ok"}
        ready = httpx.get(f"{base}/readyz")
        assert ready.status_code == 503  # no chain configured: not ready, says which part
        assert ready.json()["checks"]["database"] == "ok"
        assert ready.json()["checks"]["chain"].startswith("failed")
        account = {"email": "boss@example.com", "password": "long enough password"}
        assert httpx.post(f"{base}/api/v1/auth/register", json=account).status_code == 201
        tokens = httpx.post(f"{base}/api/v1/auth/token", json=account).json()
        me = httpx.get(
            f"{base}/api/v1/users/me",
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
        )
        assert me.json()["role"] == "admin"
        assert httpx.get(f"{base}/docs").status_code == 200
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert secret not in output
    assert f"{port}" in output


def test_bad_api_settings_are_one_line_errors(tmp_path: Path) -> None:
    base = {"RWAKIT_DATA_DIR": str(tmp_path)}
    cases = [
        ({"RWAKIT_RATE_LIMIT_USER": "lots"}, "RWAKIT_RATE_LIMIT_USER='lots'"),
        ({"RWAKIT_CACHE_TTLS": "asset=soon"}, "RWAKIT_CACHE_TTLS"),
        ({"RWAKIT_JWT_SECRET": "short"}, "RWAKIT_JWT_SECRET must be at least"),
        ({"RWAKIT_RPC_URLS": "http://127.0.0.1:9"}, "RWAKIT_JWT_SECRET is not set"),
    ]
    for env, message in cases:
        result = run_cli("serve", env={**base, **env})
        assert_one_line_error(result, message)
