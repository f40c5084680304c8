"""Bad input fails at submit with an error naming the field, and nothing is stored."""

from typing import Any

import pytest
from sqlalchemy import Engine

from rwakit.domain.operation_requests import MAX_SUBMIT, OperationInvalid, OperationRequest
from rwakit.pipeline.service import OperationService
from tests.integration.pipeline.conftest import BOTH_DATABASES, PipelineChain
from tests.integration.pipeline.helpers import UNIT, operation_count

WALLET = "0x" + "5a" * 20
OTHER = "0x" + "6b" * 20
ZERO = "0x" + "00" * 20


def mint(token: str, **params: Any) -> OperationRequest:
    return OperationRequest("mint", token, {"to": WALLET, "amount": UNIT, **params}, "t")


def submit_fails(
    service: OperationService, engine: Engine, requests: list[OperationRequest]
) -> OperationInvalid:
    before = operation_count(engine)
    with pytest.raises(OperationInvalid) as caught:
        service.submit_many(requests)
    assert operation_count(engine) == before, "bad input stored something"
    assert str(caught.value).startswith(caught.value.field)
    return caught.value


# (case, field, how to build the bad request from the token and registry addresses)
CASES = [
    ("negative amount", "amount", lambda t, r: mint(t, amount=-5)),
    ("zero amount", "amount", lambda t, r: mint(t, amount=0)),
    ("float amount", "amount", lambda t, r: mint(t, amount=1.5)),
    ("decimal string amount", "amount", lambda t, r: mint(t, amount="10")),
    ("boolean amount", "amount", lambda t, r: mint(t, amount=True)),
    ("amount over 96 bits", "amount", lambda t, r: mint(t, amount=2**96)),
    ("short address", "to", lambda t, r: mint(t, to="0x1234")),
    ("non-hex address", "to", lambda t, r: mint(t, to="0x" + "zz" * 20)),
    ("address without 0x", "to", lambda t, r: mint(t, to="5a" * 20)),
    ("zero address", "to", lambda t, r: mint(t, to=ZERO)),
    ("malformed contract", "contract", lambda t, r: OperationRequest("mint", "0xnope", {}, "t")),
    (
        "unknown kind",
        "kind",
        lambda t, r: OperationRequest("mint_everything", t, {"to": WALLET}, "t"),
    ),
    (
        "missing field",
        "amount",
        lambda t, r: OperationRequest("mint", t, {"to": WALLET}, "t"),
    ),
    ("unexpected field", "memo", lambda t, r: mint(t, memo="hi")),
    (
        "transfer to oneself",
        "to",
        lambda t, r: OperationRequest(
            "transfer", t, {"from": WALLET, "to": WALLET, "amount": 1}, "t"
        ),
    ),
    (
        "unknown priority",
        "priority",
        lambda t, r: OperationRequest("mint", t, {"to": WALLET, "amount": 1}, "t", "asap"),
    ),
    (
        "registry kind aimed at a token",
        "contract",
        lambda t, r: OperationRequest(
            "register_identity", t, {"wallet": WALLET, "identity_id": 7, "country": 840}, "t"
        ),
    ),
    (
        "overlong idempotency key",
        "idempotency_key",
        lambda t, r: OperationRequest("mint", t, {"to": WALLET, "amount": 1}, "t", 1, "k" * 201),
    ),
]


@BOTH_DATABASES
def test_bad_items_fail_at_submit_naming_the_field(
    engine: Engine, service: OperationService, pipeline_chain: PipelineChain
) -> None:
    token, registry = pipeline_chain.token, pipeline_chain.registry
    good = mint(token)
    failures = []
    for case, field, build in CASES:
        # the bad item third in a bulk of good ones: nothing of the bulk is stored
        requests = [good, good, build(token, registry), good]
        try:
            error = submit_fails(service, engine, requests)
        except AssertionError as exc:  # collect every case before failing
            failures.append(f"{case}: {exc}")
            continue
        if error.field != f"operations[2].{field}":
            failures.append(f"{case}: field {error.field!r}, expected operations[2].{field}")
    assert not failures, "\n".join(failures)
    assert operation_count(engine) == 0


@BOTH_DATABASES
def test_unknown_tokens_are_refused_with_their_code(
    engine: Engine, service: OperationService, pipeline_chain: PipelineChain
) -> None:
    chain = pipeline_chain
    for contract in (
        OTHER,  # nothing deployed there
        chain.registry,  # a contract of the deployment, but not a token
        chain.scenario.contracts.deployment.factory,
    ):
        error = submit_fails(service, engine, [mint(chain.token), mint(contract)])
        assert error.field == "operations[1].contract"
        assert error.code == "unknown_token"
        assert "not a token" in error.message
    assert operation_count(engine) == 0


@BOTH_DATABASES
def test_oversized_and_empty_submissions_are_refused(
    engine: Engine, service: OperationService, pipeline_chain: PipelineChain
) -> None:
    token = pipeline_chain.token
    error = submit_fails(service, engine, [mint(token)] * (MAX_SUBMIT + 1))
    assert error.field == "operations"
    assert str(MAX_SUBMIT) in error.message
    assert submit_fails(service, engine, []).field == "operations"
    # the largest allowed submission is taken whole
    assert len(service.submit_many([mint(token)] * MAX_SUBMIT)) == MAX_SUBMIT
    assert operation_count(engine) == MAX_SUBMIT


def test_a_blank_idempotency_key_is_refused_as_invalid_input(
    engine: Engine, service: OperationService, pipeline_chain: PipelineChain
) -> None:
    request = OperationRequest(
        "mint", pipeline_chain.token, {"to": WALLET, "amount": 1}, "t", 1, " "
    )
    error = submit_fails(service, engine, [request])
    assert error.field == "operations[0].idempotency_key"
