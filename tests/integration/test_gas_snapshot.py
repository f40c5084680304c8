"""Gas is proved by the committed snapshot: no figure may rise more than 5 % above it, and
every figure with a target must meet it. Regenerate with `rwakit bench gas --update-snapshot`."""

from web3 import Web3

from rwakit.bench.gas import measure_token_gas
from rwakit.bench.gas_snapshot import read_snapshot, snapshot_path, snapshot_problems
from rwakit.bench.gas_targets import check_targets
from rwakit.contracts.artifacts import ContractArtifact


def test_gas_stays_within_snapshot_and_targets(
    chain_snapshot: Web3, artifacts: dict[str, ContractArtifact]
) -> None:
    measured = measure_token_gas(chain_snapshot, artifacts)
    problems = snapshot_problems(read_snapshot(snapshot_path()), measured)
    problems += [
        f"{c.key}: {c.measured} is above its target {c.target}"
        for c in check_targets(measured)
        if not c.met
    ]
    assert not problems, "gas regressions:\n" + "\n".join(problems)
