"""The committed gas snapshot (`gas-snapshot.json` at the repo root) and the comparison
that fails a change making any figure more than 5 % dearer."""

import json
from collections.abc import Mapping
from pathlib import Path

from rwakit.checkout import repo_root

SNAPSHOT_NAME = "gas-snapshot.json"
TOLERANCE = 0.05  # gas moves a little with addresses and signatures in calldata; 5 % does not


def snapshot_path() -> Path:
    """At the root of the checkout (it is committed); the working directory otherwise."""
    return (repo_root() or Path.cwd()) / SNAPSHOT_NAME


def write_snapshot(gas: Mapping[str, int], path: Path) -> None:
    # sorted keys and a trailing newline keep diffs of the committed file readable
    path.write_text(json.dumps(dict(gas), indent=2, sort_keys=True) + "\n")


def read_snapshot(path: Path) -> dict[str, int]:
    return json.loads(path.read_text())


def snapshot_problems(
    snapshot: Mapping[str, int], measured: Mapping[str, int], tolerance: float = TOLERANCE
) -> list[str]:
    """One line per figure that rose beyond ``tolerance`` or exists on only one side."""
    problems = []
    for key in sorted(snapshot.keys() | measured.keys()):
        if key not in snapshot:
            problems.append(f"{key}: measured {measured[key]} but missing from the snapshot")
        elif key not in measured:
            problems.append(f"{key}: in the snapshot ({snapshot[key]}) but no longer measured")
        elif measured[key] > snapshot[key] * (1 + tolerance):
            rise = measured[key] / snapshot[key] - 1
            problems.append(f"{key}: {snapshot[key]} → {measured[key]} (+{rise:.1%})")
    return problems
