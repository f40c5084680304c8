"""Gas of corporate actions with 1,000 holders: making a coupon period or a dividend
payable (issuer side, funding included), pushed coupons per holder, one-period claims,
dividend claims, a 2-of-3 vault payout, subscription settlement, a two-leg DvP, an
airdrop claim and bond redemption. Figures follow `gas.py`: receipts' gasUsed, per-item
figures net of the 21,000 base.

The claimers and push receivers already hold the payment asset (a first payment to an
empty balance costs 17,000 more, whoever sends it).
"""

from collections.abc import Callable

from eth_account import Account
from web3 import Web3
from web3.contract import Contract

from rwakit.bench.scenario import Scenario, wallet
from rwakit.chain.airdrops import claim_call, create_drop, deploy_airdrop
from rwakit.chain.asset_creation import (
    BondTerms,
    OfferingTerms,
    create_bond,
    create_distributing_token,
    create_offering,
    create_vault,
    deploy_asset_factory,
)
from rwakit.chain.corporate_actions import (
    CorporateActionContracts,
    deploy_payment_token,
    push_coupons,
    push_distribution,
)
from rwakit.chain.dev_wallets import deterministic_key
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
from rwakit.domain.asset_types import AssetType, distribution_id
from rwakit.domain.roles import TokenRole

HOLDERS = 1000
SUBSCRIPTIONS = 100
MINT_BATCH = 200
CASH = 10**6  # the payment token has 6 decimals
UNIT = 10**18
DAY = 86_400


def _per_item(gas_used: int, n: int) -> int:
    return round((gas_used - 21_000) / n)


def _mine_at(w3: Web3, timestamp: int) -> None:
    w3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])
    w3.provider.make_request("evm_mine", [])


def measure_corporate_action_gas(
    s: Scenario, progress: Callable[[str], None] = lambda _: None
) -> dict[str, int]:
    w3, op, artifacts = s.w3, s.operator, s.contracts.artifacts
    gas: dict[str, int] = {}
    contracts = CorporateActionContracts(w3, artifacts)
    progress("corporate actions: set-up")
    factory = contracts.asset_factory(deploy_asset_factory(op, artifacts, s.contracts))
    cash = contracts.payment_token(deploy_payment_token(op, artifacts))
    op.transact(cash.functions.mint(op.address, 10**12 * CASH))
    holders = [wallet("payee", i).address for i in range(HOLDERS)]
    s.register_many(holders)

    start = s.now + 3600
    window = 3600  # the paying agent's push window after each period end / record time
    terms = BondTerms(
        cash.address, 1000 * CASH, HOLDERS * UNIT, start + 3 * DAY + 1, 500, start, DAY, 3, window
    )
    spec = TokenSpec("Coupon Bond", "CPN", AssetType.BOND)
    bond = create_bond(op, factory, spec, op.address, terms)
    token = s.contracts.token(bond.token)
    issuer, coupons = contracts.bond(bond.bond), contracts.coupons(bond.coupons)
    for i in range(0, HOLDERS, MINT_BATCH):
        chunk = holders[i : i + MINT_BATCH]
        op.transact(issuer.functions.issue(chunk, [UNIT] * len(chunk)))

    progress("corporate actions: coupons")
    # making a period payable: its end becomes a boundary (done for every period at
    # creation; measured here as a call of its own) and the issuer funds it
    scheduled = op.transact(token.functions.scheduleSnapshots([start + 3 * DAY]))["gasUsed"]
    op.transact(cash.functions.approve(coupons.address, 2**256 - 1))
    period_total = coupons.functions.couponFor(HOLDERS * UNIT).call()
    funded = op.transact(coupons.functions.fund(3 * period_total))["gasUsed"]
    gas["coupon_declare_1000_holders_total"] = scheduled + funded
    claimer = s.investor(wallet("payee", 0))
    op.transact(cash.functions.transfer(claimer.address, 1))
    _mine_at(w3, start + DAY + window + 1)  # nobody pushed period 1: holders claim it
    gas["claim_coupon_one_period"] = claimer.transact(coupons.functions.claim())["gasUsed"]
    _mine_at(w3, start + 2 * DAY + 1)
    push_coupons(op, coupons, 2, holders)  # every holder now holds the payment token
    _mine_at(w3, start + 3 * DAY + 1)
    gas["coupon_push_1000_per_holder"] = _per_item(push_coupons(op, coupons, 3, holders), HOLDERS)

    progress("corporate actions: dividends")
    spec = TokenSpec("Dividend Shares", "DIV", AssetType.EQUITY)
    shares = create_distributing_token(op, factory, spec, op.address, AssetType.EQUITY, window)
    equity = s.contracts.token(shares.token)
    distribution = contracts.distribution(shares.distribution)
    for i in range(0, HOLDERS, MINT_BATCH):
        chunk = holders[i : i + MINT_BATCH]
        op.transact(equity.functions.batchMint(chunk, [UNIT] * len(chunk)))
    op.transact(cash.functions.approve(distribution.address, 2**256 - 1))

    def declare() -> tuple[int, int]:
        record = s.now + 3600
        call = distribution.functions.declare(cash.address, 10_000 * CASH, record, record + DAY)
        return op.transact(call)["gasUsed"], record

    # the first declaration on a fresh contract: every slot it writes is new
    gas["dividend_declare_1000_holders_total"], record = declare()
    _mine_at(w3, record + window + 1)
    first = distribution_id(cash.address, record)
    gas["dividend_claim"] = claimer.transact(distribution.functions.claim(first))["gasUsed"]
    _, record = declare()
    _mine_at(w3, record + 1)
    gas["dividend_push_1000_per_holder"] = _per_item(
        push_distribution(op, distribution, distribution_id(cash.address, record), holders),
        HOLDERS,
    )

    progress("corporate actions: vault")
    keys = [deterministic_key(f"bench-vault-signer-{i}") for i in range(3)]
    vault = contracts.vault(
        create_vault(op, factory, [Account.from_key(k).address for k in keys], 2)
    )
    op.transact(cash.functions.transfer(vault.address, 1000 * CASH))
    deadline = s.now + 3600
    digest = payout_digest(
        vault.functions.domainSeparator().call(), cash.address, claimer.address, CASH, 0, deadline
    )
    payout = vault.functions.payout(
        cash.address, claimer.address, CASH, deadline, sign_for_vault(keys[:2], digest)
    )
    gas["vault_execute_payout"] = op.transact(payout)["gasUsed"]

    progress("corporate actions: subscriptions")
    gas["subscription_settle_100_per_item"], offered = _settle_subscriptions(
        s, factory, cash, contracts
    )

    progress("corporate actions: settlement")
    # the offered shares: no snapshot boundary has passed, so no history writes inflate
    # the share leg (the first move after a boundary costs its holders' history slots)
    op.transact(offered.functions.unpause())
    gas["dvp_two_legs"] = _settle_two_legs(s, offered, cash, contracts)

    progress("corporate actions: airdrop")
    airdrop = contracts.airdrop(deploy_airdrop(op, artifacts))
    op.transact(cash.functions.approve(airdrop.address, 2**256 - 1))
    tree = AirdropTree(tuple((h, CASH) for h in holders))  # 1,000 leaves: 10 proof steps
    drop = create_drop(op, airdrop, cash.address, tree, s.now, s.now + DAY)
    gas["airdrop_claim"] = claimer.transact(claim_call(airdrop, drop, tree, 0))["gasUsed"]

    progress("corporate actions: redemption")
    _mine_at(w3, max(terms.maturity, s.now + 1))
    op.transact(cash.functions.approve(issuer.address, 2**256 - 1))
    op.transact(issuer.functions.fundReserve(issuer.functions.reserveMissing().call()))
    op.transact(issuer.functions.mature())
    gas["bond_redeem"] = claimer.transact(issuer.functions.redeem(UNIT))["gasUsed"]
    return gas


def _settle_subscriptions(s: Scenario, factory, cash, contracts) -> tuple[int, Contract]:
    """Per item of a 100-subscription settlement: every subscriber becomes a new holder."""
    op = s.operator
    spec = TokenSpec("Offered Shares", "OFR", AssetType.EQUITY)
    token = s.contracts.token(
        create_distributing_token(op, factory, spec, op.address, AssetType.EQUITY).token
    )
    now = s.now
    terms = OfferingTerms(
        cash.address, op.address, 1000, 10**6 * UNIT, UNIT, UNIT, now, now + DAY, DAY
    )
    offering = contracts.offering(create_offering(op, factory, token.address, terms))
    op.transact(token.functions.grantRole(TokenRole.SUPPLY, offering.address))
    subscribers = [wallet("payee", i) for i in range(SUBSCRIPTIONS)]  # they hold cash already
    for account in subscribers:
        investor = s.investor(account)
        investor.transact(cash.functions.approve(offering.address, 2**256 - 1))
        investor.transact(offering.functions.subscribe(UNIT))
    settle = offering.functions.settle([a.address for a in subscribers])
    return _per_item(op.transact(settle)["gasUsed"], SUBSCRIPTIONS), token


def _settle_two_legs(s: Scenario, shares, cash, contracts) -> int:
    """Shares against cash between two existing holders of both, approved by signatures."""
    settlement = contracts.settlement(deploy_settlement(s.operator, s.contracts.artifacts))
    seller, buyer = wallet("payee", 0), wallet("payee", 1)
    s.investor(seller).transact(shares.functions.approve(settlement.address, 2**256 - 1))
    s.investor(buyer).transact(cash.functions.approve(settlement.address, 2**256 - 1))
    terms = SettlementTerms(
        legs=(
            Leg(shares.address, seller.address, buyer.address, UNIT // 2),
            Leg(cash.address, buyer.address, seller.address, 1000),
        ),
        cutoff=s.now + DAY,
    )
    domain = settlement.functions.domainSeparator().call()
    sigs = [approve_settlement(a.key, domain, terms) for a in (seller, buyer)]
    return s.operator.transact(execute_call(settlement, terms, sigs))["gasUsed"]
