"""Creating assets through the write path: `create_asset` operations the worker sends to
the deployment's factories, one per transaction, each confirmed with the token and its
companion contracts in its result; a creation the factory would refuse fails with the
factory's reason, and a bad request stores nothing."""

import time

import pytest
from sqlalchemy import Engine
from web3 import Web3

from rwakit.chain.corporate_actions import CorporateActionContracts, deploy_payment_token
from rwakit.domain.operation_requests import OperationInvalid, OperationRequest
from rwakit.domain.operations import OperationState
from rwakit.pipeline.service import OperationService
from tests.integration.pipeline.conftest import BOTH_DATABASES, PipelineChain
from tests.integration.pipeline.helpers import UNIT, ThreadWorker, operation_count, wait_final

DAY = 86_400


def creations(cash: str) -> dict[str, tuple[dict, set[str]]]:
    """Params of each asset type, with the companions its result must name."""
    now = int(time.time())
    maturity = now + 400 * DAY
    bond = {"denomination": cash, "face_value": 1_000_500_000, "cap": 1_000, "maturity": maturity}
    coupons = {
        **bond,
        "coupon_rate_bps": 500,
        "coupon_start": now + DAY,
        "coupon_interval": 30 * DAY,
        "coupon_periods": 12,
    }
    return {
        "bond": (bond, {"bond"}),
        "coupon bond": (coupons, {"bond", "coupons"}),
        "equity": ({"class_name": "Class A", "votes_per_share": 2}, {"distribution", "voting"}),
        "fund": ({"fee_bps": 50, "fee_receiver": cash}, {"distribution", "fee"}),
        "stablecoin": ({"collateral_topic": "RESERVE"}, {"minter"}),
        "deposit": ({}, set()),
    }


def request(factory: str, asset_type: str, symbol: str, terms: dict) -> OperationRequest:
    params = {"asset_type": asset_type, "name": f"A {symbol}", "symbol": symbol, "decimals": 0}
    return OperationRequest("create_asset", factory, {**params, **terms}, "issuer")


@BOTH_DATABASES
def test_each_type_confirms_with_its_addresses_and_the_signer_as_admin(
    engine: Engine, pipeline_chain: PipelineChain, kek: bytes
) -> None:
    chain = pipeline_chain
    contracts = chain.scenario.contracts
    deployment = contracts.deployment
    service = OperationService(
        engine,
        registry=chain.registry,
        is_token=chain.is_token,
        token_factory=deployment.factory,
        asset_factory=deployment.asset_factory,
    )
    cash = deploy_payment_token(chain.scenario.operator, contracts.artifacts).lower()
    tag = f"{int(time.time() * 1000) % 10**8}"
    cases = creations(cash)
    requests = []
    for i, (name, (terms, _)) in enumerate(cases.items()):
        asset_type = name.split()[-1]
        factory = deployment.factory if asset_type == "deposit" else deployment.asset_factory
        requests.append(request(factory, asset_type, f"T{tag}{i}", terms))
    # valid at the edge, refused by the factory: a coupon schedule that started already
    late = {**cases["coupon bond"][0], "coupon_start": int(time.time()) - DAY}
    requests.append(request(deployment.asset_factory, "bond", f"L{tag}", late))
    ids = service.submit_many(requests)
    signer = chain.scenario.operator.address.lower()  # the worker signs with the same key

    with ThreadWorker(engine, chain.spec(kek)) as worker:
        rows = wait_final(service, ids, 90, worker)
        *made, refused = (rows[i] for i in ids)
        for row, (name, (_, companions)) in zip(made, cases.items(), strict=True):
            assert row.state == OperationState.CONFIRMED, (name, row.reason_message)
            assert row.result is not None, name
            assert set(row.result["contracts"]) == companions, name
            assert row.result["admin"] == signer, name
            token = contracts.token(row.result["token"])
            assert token.functions.symbol().call() == row.params["symbol"], name
            for address in row.result["contracts"].values():
                assert chain.w3.eth.get_code(Web3.to_checksum_address(address)), (name, address)
        assert refused.state == OperationState.FAILED
        assert refused.reason_code == "CREATION_REVERTED"
        assert "start must not be in the past" in (refused.reason_message or "")

        bond = CorporateActionContracts(chain.w3, contracts.artifacts).bond(
            made[0].result["contracts"]["bond"]
        )
        assert bond.functions.CAP().call() == 1_000
        assert bond.functions.FACE_VALUE().call() == 1_000_500_000

    # the signer administers what it created: it unpauses (outside the worker, which is
    # stopped: they share the key's nonces) and mints the new deposit token
    deposit = made[-1].result["token"]
    token = contracts.token(deposit)
    chain.scenario.operator.transact(token.functions.unpause())
    [holder] = chain.take_verified(1)
    mint = OperationRequest("mint", deposit, {"to": holder, "amount": 5 * UNIT}, "issuer")
    [mint_id] = service.submit_many([mint])
    with ThreadWorker(engine, chain.spec(kek)) as worker:
        minted = wait_final(service, [mint_id], 60, worker)[mint_id]
    assert minted.state == OperationState.CONFIRMED, minted.reason_message
    assert token.functions.balanceOf(Web3.to_checksum_address(holder)).call() == 5 * UNIT


def test_bad_creations_store_nothing(engine: Engine, pipeline_chain: PipelineChain) -> None:
    deployment = pipeline_chain.scenario.contracts.deployment
    service = OperationService(
        engine,
        registry=pipeline_chain.registry,
        is_token=pipeline_chain.is_token,
        token_factory=deployment.factory,
        asset_factory=deployment.asset_factory,
    )
    good = request(deployment.factory, "deposit", "GOOD", {})
    cases = [
        (request(deployment.asset_factory, "bond", "B", {"cap": 5}), "denomination"),
        (request(deployment.asset_factory, "deposit", "D", {}), "contract"),  # wrong factory
        (request(pipeline_chain.token, "equity", "E", {"class_name": "A"}), "contract"),
    ]
    for bad, field in cases:
        with pytest.raises(OperationInvalid) as error:
            service.submit_many([good, bad])  # all or nothing
        assert error.value.field == f"operations[1].{field}", error.value
    unconfigured = OperationService(
        engine, registry=pipeline_chain.registry, is_token=lambda _: True
    )
    with pytest.raises(OperationInvalid) as error:
        unconfigured.submit(good)
    assert error.value.code == "asset_factory_unavailable"
    assert operation_count(engine) == 0
