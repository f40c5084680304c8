"""What the corporate-action tests share: an AssetFactory, a payment token, funded
investors, and shortcuts to create bonds and dividend-paying tokens at exact times."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from eth_account.signers.local import LocalAccount
from web3.contract import Contract

from rwakit.bench.scenario import BENCH_RULES, Scenario, wallet
from rwakit.chain.asset_creation import (
    BondTerms,
    CreatedBond,
    CreatedDistributingToken,
    create_bond,
    create_distributing_token,
    deploy_asset_factory,
)
from rwakit.chain.corporate_actions import CorporateActionContracts, deploy_payment_token
from rwakit.chain.token_factory import TokenSpec
from rwakit.chain.transactor import Transactor
from rwakit.domain.asset_types import AssetType
from tests.integration.contracts.harness import checkpoint, latest_timestamp

DAY = 86_400
CASH_DECIMALS = 6
CASH = 10**CASH_DECIMALS
OPERATOR_CASH = 10**15 * CASH  # the payment token the operator starts with
BOND = 10**18  # one whole bond (18 decimals)
FACE = 1_000 * CASH  # face value per whole bond
INVESTORS = 6


@dataclass(repr=False)  # hypothesis prints its arguments; a Scenario prints for pages
class World:
    s: Scenario
    contracts: CorporateActionContracts
    factory: Contract
    cash: Contract
    investors: list[LocalAccount]
    outsider: LocalAccount  # registered, never holds anything, holds no token role

    @property
    def op(self) -> Transactor:
        return self.s.operator

    @property
    def now(self) -> int:
        return latest_timestamp(self.s.w3)

    def as_(self, account: LocalAccount) -> Transactor:
        return self.s.investor(account)

    def token(self, address: str) -> Contract:
        return self.s.contracts.token(address)

    def bond(
        self,
        *,
        maturity_in: int = 400 * DAY,
        cap: int = 1_000_000 * BOND,
        rate_bps: int = 0,
        start_in: int = 10 * DAY,
        interval: int = 90 * DAY,
        periods: int = 4,
        push_window: int = 0,
        symbol: str = "BND",
    ) -> CreatedBond:
        now = self.now
        terms = BondTerms(
            denomination=self.cash.address,
            face_value=FACE,
            cap=cap,
            maturity=now + maturity_in,
            coupon_rate_bps=rate_bps,
            coupon_start=now + start_in if rate_bps else 0,
            coupon_interval=interval if rate_bps else 0,
            coupon_periods=periods if rate_bps else 0,
            coupon_push_window=push_window,
        )
        spec = TokenSpec(f"{symbol} bond", symbol, AssetType.BOND, rules=BENCH_RULES)
        return create_bond(self.op, self.factory, spec, self.op.address, terms)

    def distributing(
        self, asset_type: AssetType = AssetType.EQUITY, push_window: int = 0
    ) -> CreatedDistributingToken:
        spec = TokenSpec("Shares", "SHR", asset_type, rules=BENCH_RULES)
        return create_distributing_token(
            self.op, self.factory, spec, self.op.address, asset_type, push_window
        )

    def approve_cash(self, spender: str, amount: int = 10**30) -> None:
        self.op.transact(self.cash.functions.approve(spender, amount))

    def cash_of(self, address: str) -> int:
        return self.cash.functions.balanceOf(address).call()


@contextmanager
def build_world(deployed: Scenario, seed: str) -> Iterator[World]:
    """Module-wide set-up inside a chain checkpoint: undone when the module ends."""
    w3 = deployed.w3
    with checkpoint(w3):
        artifacts = deployed.contracts.artifacts
        contracts = CorporateActionContracts(w3, artifacts)
        factory = contracts.asset_factory(
            deploy_asset_factory(deployed.operator, artifacts, deployed.contracts)
        )
        cash = contracts.payment_token(deploy_payment_token(deployed.operator, artifacts))
        deployed.operator.transact(cash.functions.mint(deployed.operator.address, OPERATOR_CASH))
        investors = [wallet(seed, i) for i in range(INVESTORS + 1)]
        deployed.register_many([a.address for a in investors])
        for a in investors:
            deployed.fund(a.address)
        yield World(deployed, contracts, factory, cash, investors[:INVESTORS], investors[-1])
