import json
from pathlib import Path

from rwakit.bench.gas_snapshot import read_snapshot, snapshot_problems, write_snapshot
from rwakit.bench.gas_targets import GAS_TARGETS, check_targets


def test_rise_within_five_percent_passes() -> None:
    assert snapshot_problems({"a": 1000}, {"a": 1050}) == []
    assert snapshot_problems({"a": 1000}, {"a": 900}) == []


def test_rise_above_five_percent_names_the_figure_and_both_values() -> None:
    (problem,) = snapshot_problems({"a": 1000, "b": 10}, {"a": 1051, "b": 10})
    assert problem.startswith("a: 1000 → 1051")


def test_keys_on_one_side_only_are_problems() -> None:
    problems = snapshot_problems({"old": 1, "both": 1}, {"new": 1, "both": 1})
    assert [p.split(":")[0] for p in problems] == ["new", "old"]


def test_snapshot_file_has_sorted_keys_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "gas-snapshot.json"
    write_snapshot({"b": 2, "a": 1}, path)
    assert path.read_text() == json.dumps({"a": 1, "b": 2}, indent=2) + "\n"
    assert read_snapshot(path) == {"a": 1, "b": 2}


def test_targets_report_missing_and_exceeded_figures() -> None:
    gas = dict(GAS_TARGETS)
    gas["transfer_existing_holder"] += 1
    del gas["register_identity_with_2_claims"]
    missed = {c.key: c.measured for c in check_targets(gas) if not c.met}
    assert missed == {
        "transfer_existing_holder": GAS_TARGETS["transfer_existing_holder"] + 1,
        "register_identity_with_2_claims": None,
    }
