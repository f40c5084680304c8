"""RWAKIT_INDEXER_CONTRACTS: Kind=address pairs for contracts no factory event names."""

import pytest

from rwakit.config import Settings
from rwakit.indexer.followed_contracts import parse_followed

A, B = "0x" + "Ab" * 20, "0x" + "cd" * 20


def test_pairs_parse_to_lower_case_addresses() -> None:
    assert parse_followed("") == {}
    assert parse_followed(f"Settlement={A}, Airdrop={B}") == {
        A.lower(): "Settlement",
        B: "Airdrop",
    }


@pytest.mark.parametrize(
    "bad", [f"Vault={A}", "Settlement=0x12", A, f"Settlement:{A}", f"settlement={A}"]
)
def test_bad_pairs_are_refused_with_the_expected_form(bad: str) -> None:
    with pytest.raises(ValueError, match="Kind=0x"):
        parse_followed(bad)


def test_the_setting_refuses_malformed_values(monkeypatch) -> None:
    monkeypatch.setenv("RWAKIT_INDEXER_CONTRACTS", f"Settlement={A},Airdrop={B}")
    assert Settings().indexer_contracts == f"Settlement={A},Airdrop={B}"
    monkeypatch.setenv("RWAKIT_INDEXER_CONTRACTS", "Settlement=nope")
    with pytest.raises(ValueError):
        Settings()
