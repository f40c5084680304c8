"""Corporate-action contracts, found through the AssetFactory's creation events, land in
the read model: asset terms, coupon periods, distributions, vaults and the payment
ledger; a fresh re-index of the same chain gives the same rows."""

from sqlalchemy import select

from rwakit.bench.scenario import BENCH_RULES
from rwakit.chain.airdrops import claim_call, create_drop, deploy_airdrop
from rwakit.chain.asset_creation import (
    OfferingTerms,
    create_equity,
    create_fund,
    create_offering,
    create_stablecoin,
    create_vault,
)
from rwakit.chain.corporate_actions import push_coupons, push_distribution
from rwakit.chain.settlement import (
    Leg,
    SettlementTerms,
    approve_settlement,
    deploy_settlement,
    execute_call,
)
from rwakit.chain.token_factory import TokenSpec
from rwakit.chain.vault_signatures import payout_digest, sign_for_vault
from rwakit.domain.airdrop_tree import AirdropTree
from rwakit.domain.asset_types import AssetType
from rwakit.domain.roles import TokenRole
from rwakit.store.read_model import ReadModel
from rwakit.store.read_model_tables import (
    airdrops,
    asset_contracts,
    asset_payments,
    asset_terms,
    chain_events,
    coupon_periods,
    distributions,
    offerings,
    settlements,
    subscriptions,
    tokens,
    vaults,
)
from tests.integration.contracts.corporate_world import BOND, CASH, DAY, FACE, build_world
from tests.integration.contracts.harness import mine_at
from tests.integration.indexer.conftest import empty_read_model, read_model


def rows(engine, table, *where):
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(table).where(*where)).mappings()]


def test_corporate_actions_are_indexed(chain) -> None:
    with build_world(chain.scenario, "indexer-ca") as world:
        a, b = world.investors[:2]
        created = world.bond(rate_bps=500, periods=3)
        bond = world.contracts.bond(created.bond)
        coupons = world.contracts.coupons(created.coupons)
        world.op.transact(bond.functions.issue([a.address, b.address], [2 * BOND, 3 * BOND]))
        world.approve_cash(created.bond)
        world.approve_cash(created.coupons)
        world.op.transact(bond.functions.fundReserve(7 * FACE))
        world.op.transact(coupons.functions.fund(100 * CASH))

        equity = world.distributing(AssetType.EQUITY)
        token = world.token(equity.token)
        world.op.transact(token.functions.batchMint([a.address], [10]))
        distribution = world.contracts.distribution(equity.distribution)
        world.approve_cash(distribution.address)
        record, deadline = world.now + DAY, world.now + 30 * DAY
        world.op.transact(
            distribution.functions.declare(world.cash.address, 50 * CASH, record, deadline)
        )
        signers = sorted(i.address for i in world.investors[:3])
        vault = create_vault(world.op, world.factory, signers, 2).lower()

        chain.catch_up()
        engine = chain.engine
        bond_token = created.token.lower()
        followed = {r["address"]: r for r in rows(engine, asset_contracts)}
        assert followed[world.factory.address.lower()]["kind"] == "AssetFactory"
        assert followed[created.bond.lower()]["kind"] == "Bond"
        assert followed[created.bond.lower()]["token"] == bond_token
        assert followed[created.coupons.lower()]["kind"] == "FixedYield"
        assert followed[equity.distribution.lower()]["kind"] == "Distribution"
        assert followed[vault]["kind"] == "Vault"

        (terms,) = rows(engine, asset_terms, asset_terms.c.token == bond_token)
        assert terms["asset_kind"] == "bond"
        assert terms["face_value"] == FACE
        assert terms["cap"] == bond.functions.CAP().call()
        assert terms["maturity"] == bond.functions.MATURITY().call()
        assert terms["denomination"] == world.cash.address.lower()
        assert terms["coupon_rate_bps"] == 500
        assert terms["reserve"] == 7 * FACE
        assert terms["coupon_funding"] == 100 * CASH
        periods = rows(engine, coupon_periods, coupon_periods.c.token == bond_token)
        ends = sorted((p["period"], p["ends_at"]) for p in periods)
        assert ends == [(k, coupons.functions.periodEnd(k).call()) for k in (1, 2, 3)]
        (supply,) = rows(engine, tokens, tokens.c.address == bond_token)
        assert supply["total_supply"] == 5 * BOND

        (declared,) = rows(engine, distributions)
        assert declared["token"] == equity.token.lower()
        assert declared["amount"] == 50 * CASH
        assert declared["record_time"] == record
        assert declared["distribution_id"] == (
            distribution.functions.distributionId(world.cash.address, record).call()
        )
        assert (
            rows(engine, asset_terms, asset_terms.c.token == equity.token.lower())[0]["asset_kind"]
            == "equity"
        )

        (kept_vault,) = rows(engine, vaults)
        assert kept_vault["signers"] == [s.lower() for s in signers]
        assert kept_vault["threshold"] == 2

        kinds = sorted(r["kind"] for r in rows(engine, asset_payments))
        assert kinds == ["coupons_funded", "distribution_declared", "reserve_funded"]
        system = chain.scenario.contracts.deployment.registry
        counts = {c.asset_type: c.tokens for c in ReadModel(engine).assets_by_type(system)}
        listed = [t.asset_type for t in ReadModel(engine).tokens()]
        assert counts == {kind: listed.count(kind) for kind in listed}
        assert counts["equity"] == 1 and counts["bond"] >= 1

        before = read_model(engine)
        empty_read_model(engine)
        chain.catch_up()
        assert read_model(engine) == before


SHARE = 10**18


def test_lifecycle_events_reach_the_read_model(chain) -> None:
    with build_world(chain.scenario, "indexer-life") as world:
        w3, op, cash = chain.w3, world.op, world.cash
        a, b = world.investors[:2]
        for investor in (a, b):
            op.transact(cash.functions.transfer(investor.address, 1_000 * CASH))
        t0 = world.now

        # a bond with one coupon period, issued before the coupon start, reserve funded
        created = world.bond(rate_bps=500, periods=1, start_in=10 * DAY, maturity_in=400 * DAY)
        bond = world.contracts.bond(created.bond)
        coupons = world.contracts.coupons(created.coupons)
        op.transact(bond.functions.issue([a.address, b.address], [2 * BOND, 3 * BOND]))
        op.transact(world.token(created.token).functions.unpause())
        world.approve_cash(created.bond)
        world.approve_cash(created.coupons)
        op.transact(bond.functions.fundReserve(5 * FACE))
        op.transact(coupons.functions.fund(100 * CASH))

        # an offering of shares: a settles, b is refunded
        equity = world.distributing(AssetType.EQUITY)
        shares = world.token(equity.token)
        terms = OfferingTerms(
            cash.address, world.outsider.address, 2 * CASH, 100 * SHARE, SHARE, 50 * SHARE,
            t0 + 100, t0 + 10 * DAY, 5 * DAY,
        )  # fmt: skip
        offer = world.contracts.offering(create_offering(op, world.factory, shares.address, terms))
        op.transact(shares.functions.grantRole(TokenRole.SUPPLY, offer.address))
        for investor in (a, b):
            world.as_(investor).transact(cash.functions.approve(offer.address, 10**30))
        mine_at(w3, terms.opens)
        world.as_(a).transact(offer.functions.subscribe(4 * SHARE))
        world.as_(a).transact(offer.functions.subscribe(6 * SHARE))
        world.as_(b).transact(offer.functions.subscribe(5 * SHARE))
        op.transact(offer.functions.settle([a.address]))
        op.transact(offer.functions.refund([b.address]))
        op.transact(shares.functions.unpause())

        # a DvP: a delivers 5 shares to b, b pays 20 cash
        settlement = world.contracts.settlement(deploy_settlement(op, world.s.contracts.artifacts))
        chain.followed[settlement.address.lower()] = "Settlement"
        world.as_(a).transact(shares.functions.approve(settlement.address, 2**256 - 1))
        world.as_(b).transact(cash.functions.approve(settlement.address, 2**256 - 1))
        dvp = SettlementTerms(
            legs=(
                Leg(shares.address, a.address, b.address, 5 * SHARE),
                Leg(cash.address, b.address, a.address, 20 * CASH),
            ),
            cutoff=world.now + DAY,
        )
        domain = settlement.functions.domainSeparator().call()
        sigs = [approve_settlement(s.key, domain, dvp) for s in (a, b)]
        op.transact(execute_call(settlement, dvp, sigs))

        # an airdrop claimed by a; a vault payout to b
        airdrop = world.contracts.airdrop(deploy_airdrop(op, world.s.contracts.artifacts))
        chain.followed[airdrop.address.lower()] = "Airdrop"
        world.approve_cash(airdrop.address)
        tree = AirdropTree(((a.address, 3 * CASH), (b.address, 4 * CASH)))
        drop = create_drop(op, airdrop, cash.address, tree, world.now + 10, world.now + DAY)
        mine_at(w3, world.now + 10)
        op.transact(claim_call(airdrop, drop, tree, 0))
        vault = create_vault(op, world.factory, [op.address], 1)
        op.transact(cash.functions.transfer(vault, 50 * CASH))
        vault_contract = world.contracts.vault(vault)
        digest = payout_digest(
            vault_contract.functions.domainSeparator().call(),
            cash.address, b.address, 7 * CASH, 0, world.now + 3600,
        )  # fmt: skip
        signature = sign_for_vault([op.account.key], digest)
        payout = vault_contract.functions.payout(
            cash.address, b.address, 7 * CASH, world.now + 3600, signature
        )
        op.transact(payout)

        # the coupon period ends: a claims; a dividend on the shares: a claims, the rest
        # is reclaimed after the deadline
        mine_at(w3, coupons.functions.periodEnd(1).call() + 1)
        world.as_(a).transact(coupons.functions.claim())
        distribution = world.contracts.distribution(equity.distribution)
        world.approve_cash(distribution.address)
        record, deadline = world.now + DAY, world.now + 30 * DAY
        op.transact(distribution.functions.declare(cash.address, 50 * CASH, record, deadline))
        dividend = distribution.functions.distributionId(cash.address, record).call()
        mine_at(w3, record + 1)
        world.as_(a).transact(distribution.functions.claim(dividend))
        mine_at(w3, deadline + 1)
        op.transact(distribution.functions.reclaim(dividend, op.address))

        # maturity and a redemption
        mine_at(w3, bond.functions.MATURITY().call())
        op.transact(bond.functions.mature())
        world.as_(a).transact(bond.functions.redeem(BOND))

        chain.catch_up()
        engine = chain.engine
        by_kind: dict[str, list] = {}
        for row in rows(engine, asset_payments):
            by_kind.setdefault(row["kind"], []).append(row)
        assert [r["account"] for r in by_kind["subscription"]] == [a.address.lower()] * 2 + [
            b.address.lower()
        ]
        assert by_kind["subscriptions_settled"][0]["amount"] == 20 * CASH
        assert by_kind["subscription_refund"][0]["amount"] == 10 * CASH
        assert by_kind["airdrop_claim"][0]["amount"] == 3 * CASH
        assert by_kind["vault_payout"][0]["account"] == b.address.lower()
        assert by_kind["vault_payout"][0]["asset"] == cash.address.lower()
        (coupon,) = by_kind["coupon_claim"]
        assert coupon["reference"] == "1-1" and coupon["account"] == a.address.lower()
        assert coupon["amount"] == coupons.functions.couponFor(2 * BOND).call()
        (claim,) = by_kind["distribution_claim"]
        (reclaim,) = by_kind["distribution_reclaim"]
        assert claim["amount"] + reclaim["amount"] == 50 * CASH
        (redemption,) = by_kind["redemption"]
        assert redemption["amount"] == FACE and redemption["reference"] == str(BOND)

        subs = {r["investor"]: r for r in rows(engine, subscriptions)}
        assert subs[a.address.lower()]["units"] == 0
        assert subs[a.address.lower()]["settled_units"] == 10 * SHARE
        assert subs[b.address.lower()]["refunded_units"] == 5 * SHARE
        (offered,) = rows(engine, offerings)
        assert (offered["settled_units"], offered["refunded_units"]) == (10 * SHARE, 5 * SHARE)
        assert offered["subscribed_units"] == 0
        (settled,) = rows(engine, settlements)
        assert settled["status"] == "executed" and settled["settlement_id"] == "0x" + dvp.id.hex()
        assert settled["legs"][0] == [
            shares.address.lower(), a.address.lower(), b.address.lower(), str(5 * SHARE)
        ]  # fmt: skip
        (dropped,) = rows(engine, airdrops)
        assert (dropped["total"], dropped["claimed"]) == (7 * CASH, 3 * CASH)
        (kept_vault,) = rows(engine, vaults)
        assert kept_vault["executed"] == 1
        (declared,) = rows(engine, distributions)
        assert declared["paid"] == claim["amount"] and declared["reclaimed"] == reclaim["amount"]
        (terms_row,) = rows(engine, asset_terms, asset_terms.c.token == created.token.lower())
        assert terms_row["matured_block"] is not None
        assert terms_row["reserve"] == bond.functions.reserve().call()
        assert terms_row["coupon_funding"] == coupons.functions.available().call()

        before = read_model(engine)
        empty_read_model(engine)
        chain.catch_up()
        assert read_model(engine) == before


def test_pushes_votes_fees_and_cancellations(chain) -> None:
    with build_world(chain.scenario, "indexer-push") as world:
        w3, op, cash = chain.w3, world.op, world.cash
        a, b, c = world.investors[:3]
        holders = sorted(h.address for h in (a, b))

        # coupons pushed by the paying agent within the push window
        created = world.bond(rate_bps=500, periods=2, push_window=DAY)
        bond = world.contracts.bond(created.bond)
        coupons = world.contracts.coupons(created.coupons)
        op.transact(bond.functions.issue(holders, [2 * BOND, 3 * BOND]))
        world.approve_cash(created.coupons)
        op.transact(coupons.functions.fund(100 * CASH))
        op.transact(coupons.functions.withdraw(op.address, 10 * CASH))
        world.approve_cash(created.bond)
        op.transact(bond.functions.fundReserve(9 * FACE))
        op.transact(bond.functions.withdrawReserve(op.address, 4 * FACE))
        mine_at(w3, coupons.functions.periodEnd(1).call() + 1)
        push_coupons(op, coupons, 1, holders)

        # an equity class: a delegation, a proposal, a vote; a dividend pushed
        equity = create_equity(
            op, world.factory, TokenSpec("Class A", "CLA", AssetType.EQUITY, rules=BENCH_RULES),
            op.address, "Class A common", 3, push_window=DAY,
        )  # fmt: skip
        shares = world.token(equity.token)
        op.transact(shares.functions.batchMint(holders, [SHARE, 2 * SHARE]))
        op.transact(shares.functions.unpause())
        voting = world.contracts.voting(equity.voting)
        world.as_(b).transact(voting.functions.delegate(a.address))
        record, ends = world.now + DAY, world.now + 8 * DAY
        op.transact(voting.functions.propose(b"\x11" * 32, record, ends))
        distribution = world.contracts.distribution(equity.distribution)
        world.approve_cash(distribution.address)
        op.transact(distribution.functions.declare(cash.address, 30 * CASH, record, ends + DAY))
        dividend = distribution.functions.distributionId(cash.address, record).call()
        mine_at(w3, record + 1)
        world.as_(a).transact(voting.functions.castVote(1, True))
        push_distribution(op, distribution, dividend, holders)

        # a fund whose fee is collected, then its receiver changed; a stablecoin
        fund = create_fund(
            op, world.factory, TokenSpec("Fund", "FND", AssetType.FUND, rules=BENCH_RULES),
            op.address, 100, c.address,
        )  # fmt: skip
        op.transact(world.token(fund.token).functions.mint(a.address, 1_000 * SHARE))
        fee = world.contracts.fund_fee(fund.fee)
        mine_at(w3, world.now + 30 * DAY)
        op.transact(fee.functions.collect())
        op.transact(fee.functions.setReceiver(b.address))
        coin = create_stablecoin(
            op, world.factory, TokenSpec("Coin", "USDX", AssetType.STABLECOIN),
            op.address, b"\x22" * 32,
        )  # fmt: skip

        # a settlement cancelled by its sender; an airdrop reclaimed after its end
        settlement = world.contracts.settlement(deploy_settlement(op, world.s.contracts.artifacts))
        chain.followed[settlement.address.lower()] = "Settlement"
        dvp = SettlementTerms(
            legs=(Leg(shares.address, a.address, b.address, SHARE),), cutoff=world.now + DAY
        )
        world.as_(a).transact(settlement.functions.cancel(*dvp.as_abi()))
        airdrop = world.contracts.airdrop(deploy_airdrop(op, world.s.contracts.artifacts))
        chain.followed[airdrop.address.lower()] = "Airdrop"
        world.approve_cash(airdrop.address)
        tree = AirdropTree(((a.address, CASH), (b.address, 2 * CASH)))
        drop = create_drop(op, airdrop, cash.address, tree, world.now + 10, world.now + 20)
        mine_at(w3, world.now + 21)
        op.transact(airdrop.functions.reclaim(drop))

        chain.catch_up()
        engine = chain.engine
        periods = {p["period"]: p for p in rows(engine, coupon_periods)}
        assert periods[1]["pushed_holders"] == 2
        assert periods[1]["last_pushed"] == holders[-1].lower()
        assert periods[1]["pushed"] == (
            coupons.functions.couponFor(2 * BOND).call()
            + coupons.functions.couponFor(3 * BOND).call()
        )
        assert periods[2]["pushed"] == 0
        (bond_terms,) = rows(engine, asset_terms, asset_terms.c.token == created.token.lower())
        assert bond_terms["coupon_funding"] == coupons.functions.available().call()
        assert bond_terms["reserve"] == 5 * FACE
        (declared,) = rows(engine, distributions)
        assert declared["pushed_holders"] == 2 and declared["paid"] == 30 * CASH
        assert declared["last_pushed"] == holders[-1].lower()

        terms = {r["token"]: r for r in rows(engine, asset_terms)}
        class_a = terms[equity.token.lower()]
        assert (class_a["asset_kind"], class_a["class_name"]) == ("equity", "Class A common")
        assert class_a["votes_per_share"] == 3 and class_a["voting"] == equity.voting.lower()
        assert class_a["distribution"] == equity.distribution.lower()
        fund_terms = terms[fund.token.lower()]
        assert (fund_terms["asset_kind"], fund_terms["fee_bps"]) == ("fund", 100)
        assert fund_terms["fee_receiver"] == b.address.lower()
        coin_terms = terms[coin.token.lower()]
        assert coin_terms["minter"] == coin.minter.lower()
        assert coin_terms["collateral_topic"] == "0x" + "22" * 32

        (cancelled,) = rows(engine, settlements)
        assert cancelled["status"] == "cancelled" and cancelled["actor"] == a.address.lower()
        assert cancelled["settlement_id"] == "0x" + dvp.id.hex()
        (dropped,) = rows(engine, airdrops)
        assert dropped["reclaimed"] == 3 * CASH
        kinds = {r["kind"] for r in rows(engine, asset_payments)}
        assert {"coupon_push", "distribution_push", "fee_collected", "airdrop_reclaim"} <= kinds
        assert {"coupon_funding_withdrawn", "reserve_withdrawn"} <= kinds
        names = {r["name"] for r in rows(engine, chain_events)}
        # ShareClassSet is logged by the Voting constructor, before EquityCreated names it
        assert {"ShareClassSet", "DelegateChanged", "ProposalCreated", "VoteCast"} <= names
        assert {"FeeReceiverSet", "BondIssued", "StablecoinCreated"} <= names


def test_a_reorg_of_corporate_actions_equals_a_fresh_index(chain) -> None:
    with build_world(chain.scenario, "indexer-reorg") as world:
        op = world.op
        created = world.bond(rate_bps=500, periods=2)
        index = chain.catch_up()
        snapshot = chain.rpc("evm_snapshot", [])
        bond = world.contracts.bond(created.bond)
        op.transact(bond.functions.issue([world.investors[0].address], [BOND]))
        world.approve_cash(created.bond)
        op.transact(bond.functions.fundReserve(FACE))
        orphan = world.bond(rate_bps=100, periods=3, symbol="ORF")
        chain.catch_up(index)
        assert rows(chain.engine, asset_terms, asset_terms.c.token == orphan.token.lower())

        assert chain.rpc("evm_revert", [snapshot])
        world.approve_cash(created.bond)
        op.transact(bond.functions.fundReserve(2 * FACE))
        equity = world.distributing(AssetType.EQUITY)
        for _ in range(4):  # a longer branch
            chain.rpc("evm_mine", [])
        chain.catch_up(index)
        assert index._metrics.reorgs._value.get() == 1
        after = read_model(chain.engine)
        assert not any(orphan.bond.lower() in repr(r) for r in after["asset_contracts"])
        assert any(equity.distribution.lower() in repr(r) for r in after["asset_contracts"])

        empty_read_model(chain.engine)
        chain.catch_up()
        assert read_model(chain.engine) == after
