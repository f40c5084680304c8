"""Workers split contracts by address hash: each contract belongs to exactly one of them."""

import pytest

from rwakit.pipeline.partition import ContractPartition

CONTRACTS = ["0x" + f"{i:040x}" for i in range(1, 400)]


@pytest.mark.parametrize("count", [1, 2, 3, 5])
def test_every_contract_has_exactly_one_owner(count: int) -> None:
    partitions = [ContractPartition(i, count) for i in range(count)]
    for contract in CONTRACTS:
        assert sum(p.owns(contract) for p in partitions) == 1
    # and the split is not degenerate: every partition owns some of 399 contracts
    assert all(any(p.owns(c) for c in CONTRACTS) for p in partitions)


def test_ownership_ignores_address_case() -> None:
    partition = ContractPartition(1, 2)
    mixed = "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01"
    assert partition.owns(mixed) == partition.owns(mixed.lower())


def test_parse_reads_i_of_n() -> None:
    assert ContractPartition.parse("1/3") == ContractPartition(1, 3)
    assert ContractPartition.parse("0/1").everything


@pytest.mark.parametrize("text", ["", "1", "a/b", "2/2", "0/0", "-1/2", "1/2/3"])
def test_bad_partitions_are_refused_with_the_form_to_use(text: str) -> None:
    with pytest.raises(ValueError, match="partition"):
        ContractPartition.parse(text)
