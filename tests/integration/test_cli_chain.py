import os
import selectors
import signal
import subprocess
import sys
import time

import httpx
import pytest

from rwakit.chain.anvil import ManagedAnvil
from rwakit.chain.probe import rpc_chain_id
from tests.cli_run import assert_one_line_error, run_cli


def test_chain_info_prints_chain_and_block(anvil: ManagedAnvil) -> None:
    result = run_cli("chain-info", env={"RWAKIT_RPC_URLS": anvil.url, "RWAKIT_CHAIN_ID": "31337"})
    assert result.returncode == 0, result.stderr
    assert "chain id 31337" in result.stdout


def test_chain_info_wrong_chain_id_is_one_red_line(anvil: ManagedAnvil) -> None:
    result = run_cli("chain-info", env={"RWAKIT_RPC_URLS": anvil.url, "RWAKIT_CHAIN_ID": "1"})
    assert_one_line_error(result, "chain id is 31337 at ")


def _read_line(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            pytest.fail(f"no output from `rwakit chain` within {timeout}s")
    return process.stdout.readline()


@pytest.mark.parametrize(
    ("stop_signal", "exit_code"), [(signal.SIGINT, 0), (signal.SIGTERM, 128 + signal.SIGTERM)]
)
def test_chain_command_runs_until_stopped(stop_signal: signal.Signals, exit_code: int) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RWAKIT_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "rwakit", "chain"],
        env={**env, "RWAKIT_BLOCK_TIME": "0", "COLUMNS": "200"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = _read_line(process, timeout=30)
        url = first.split()[2]
        assert url.startswith("http://127.0.0.1:"), first
        assert rpc_chain_id(url) == 31337
        process.send_signal(stop_signal)
        assert process.wait(timeout=60) == exit_code  # a bound for a loaded machine
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    # anvil went away with it.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            rpc_chain_id(url, timeout=0.5)
        except httpx.HTTPError:
            return
        time.sleep(0.05)  # poll interval
    pytest.fail(f"anvil still answers at {url} after `rwakit chain` stopped")
