"""`rwakit deploy` and `rwakit status` against the session anvil, run as the real CLI."""

from pathlib import Path

import pytest
from web3 import Web3

from rwakit.chain.anvil import ManagedAnvil
from rwakit.config import ANVIL_DEV_KEY
from tests.cli_run import assert_one_line_error, run_cli
from tests.closed_port import closed_port


def _env(anvil: ManagedAnvil, data_dir: Path, **extra: str) -> dict[str, str]:
    return {"RWAKIT_RPC_URLS": anvil.url, "RWAKIT_DATA_DIR": str(data_dir), **extra}


@pytest.mark.parametrize("command", ["deploy", "status"])
def test_node_that_does_not_answer_is_one_line(command: str, tmp_path: Path) -> None:
    with closed_port() as port:
        env = {"RWAKIT_RPC_URLS": f"http://127.0.0.1:{port}", "RWAKIT_DATA_DIR": str(tmp_path)}
        result = run_cli(command, env=env)
    assert_one_line_error(result, f"no node answers at http://127.0.0.1:{port} — ")


@pytest.mark.parametrize("command", ["deploy", "status"])
def test_wrong_chain_id_is_one_line(command: str, anvil: ManagedAnvil, data_dir: Path) -> None:
    result = run_cli(command, env=_env(anvil, data_dir, RWAKIT_CHAIN_ID="1"))
    assert_one_line_error(result, "chain id is 31337 at ")
    assert "RWAKIT_RPC_URLS" in result.stderr


def test_status_without_deployment_says_to_deploy(anvil: ManagedAnvil, data_dir: Path) -> None:
    result = run_cli("status", env=_env(anvil, data_dir))
    assert_one_line_error(result, "no rwakit deployment recorded for chain 31337")
    assert "run `rwakit deploy`" in result.stderr


@pytest.mark.parametrize("command", ["deploy", "status"])
def test_managed_setup_points_to_up_and_chain(command: str, tmp_path: Path) -> None:
    result = run_cli(command, env={"RWAKIT_DATA_DIR": str(tmp_path)})
    assert_one_line_error(result, f"`rwakit {command}` needs RWAKIT_RPC_URLS — ")
    assert "`rwakit up`" in result.stderr and "`rwakit chain`" in result.stderr


def test_deploy_without_key_is_one_line(anvil: ManagedAnvil, data_dir: Path) -> None:
    result = run_cli("deploy", env=_env(anvil, data_dir))
    assert_one_line_error(result, "RWAKIT_DEPLOYER_KEY is not set — ")


def test_deploy_with_malformed_key_never_echoes_it(anvil: ManagedAnvil, data_dir: Path) -> None:
    result = run_cli("deploy", env=_env(anvil, data_dir, RWAKIT_DEPLOYER_KEY="0xnot-a-key"))
    assert_one_line_error(result, "RWAKIT_DEPLOYER_KEY is not a valid private key")
    assert "not-a-key" not in result.stderr


def test_deploy_is_idempotent_and_status_reads_it(
    anvil: ManagedAnvil, chain_snapshot: Web3, data_dir: Path
) -> None:
    env = _env(anvil, data_dir, RWAKIT_DEPLOYER_KEY=ANVIL_DEV_KEY, COLUMNS="200")
    first = run_cli("deploy", env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("deployed rwakit on chain 31337")
    record = data_dir / "deployments" / "31337.json"
    assert record.is_file() and str(record) in first.stdout

    second = run_cli("deploy", env=env)
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("already deployed on chain 31337")
    factory = next(line for line in first.stdout.splitlines() if "TokenFactory" in line)
    assert factory in second.stdout  # the same addresses, nothing redeployed

    status = run_cli("status", env=env)
    assert status.returncode == 0, status.stderr
    assert factory in status.stdout
    assert "no tokens yet" in status.stdout
    assert ANVIL_DEV_KEY.removeprefix("0x") not in first.stdout + second.stdout + status.stdout
