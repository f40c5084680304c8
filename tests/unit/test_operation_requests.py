"""Edge validation of operation requests: bad input names its field and is refused."""

import pytest

from rwakit.domain.operation_requests import (
    MAX_SUBMIT,
    OperationInvalid,
    OperationRequest,
    validate,
    validate_many,
)
from rwakit.domain.operations import Priority

TOKEN = "0x" + "ab" * 20
ALICE = "0x" + "11" * 20
BOB = "0x" + "22" * 20


def request(kind="mint", params=None, **kw):
    return OperationRequest(
        kind, kw.pop("contract", TOKEN), params or {"to": ALICE, "amount": 5}, "tester", **kw
    )


def test_a_good_request_comes_back_normalised():
    op = validate(
        request(params={"to": ALICE.upper().replace("0X", "0x"), "amount": 5}, priority="urgent")
    )
    assert op.params == {"to": ALICE, "amount": 5}
    assert op.priority is Priority.URGENT


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"to": ALICE, "amount": -1}, "amount"),
        ({"to": ALICE, "amount": 0}, "amount"),
        ({"to": ALICE, "amount": 1.5}, "amount"),
        ({"to": ALICE, "amount": "10"}, "amount"),
        ({"to": ALICE, "amount": True}, "amount"),
        ({"to": ALICE, "amount": 2**96}, "amount"),
        ({"to": "0x1234", "amount": 1}, "to"),
        ({"to": "0x" + "00" * 20, "amount": 1}, "to"),
        ({"amount": 1}, "to"),
        ({"to": ALICE, "amount": 1, "memo": "x"}, "memo"),
    ],
)
def test_bad_mint_fields_are_named(params, field):
    with pytest.raises(OperationInvalid) as error:
        validate(request(params=params))
    assert error.value.field == field


def test_unknown_kind_priority_contract_and_key():
    with pytest.raises(OperationInvalid, match="unknown kind"):
        validate(request(kind="airdrop"))
    with pytest.raises(OperationInvalid) as error:
        validate(request(priority="sometime"))
    assert error.value.field == "priority"
    with pytest.raises(OperationInvalid) as error:
        validate(request(contract="token"))
    assert error.value.field == "contract"
    with pytest.raises(OperationInvalid) as error:
        validate(request(idempotency_key=""))
    assert error.value.field == "idempotency_key"


def test_transfer_to_oneself_is_refused():
    with pytest.raises(OperationInvalid) as error:
        validate(request("transfer", {"from": ALICE, "to": ALICE, "amount": 1}))
    assert error.value.field == "to"


def test_registration_claims_are_checked():
    params = {
        "wallet": BOB,
        "identity_id": 7,
        "country": 840,
        "claims": {"topics": [], "expiry": 1, "v": 27, "r": "0x", "s": "0x"},
    }
    with pytest.raises(OperationInvalid) as error:
        validate(request("register_identity", params))
    assert error.value.field == "claims.topics"
    params["country"] = 1000
    with pytest.raises(OperationInvalid) as error:
        validate(request("register_identity", params))
    assert error.value.field == "country"


def test_bulk_limits_and_positions():
    with pytest.raises(OperationInvalid, match="at least one"):
        validate_many([])
    with pytest.raises(OperationInvalid, match=f"at most {MAX_SUBMIT}"):
        validate_many([request()] * (MAX_SUBMIT + 1))
    with pytest.raises(OperationInvalid) as error:
        validate_many([request(), request(params={"to": ALICE, "amount": -3})])
    assert error.value.field == "operations[1].amount"
