"""Create, in one transaction each through the AssetFactory: a bond (token + Bond +
coupon schedule), a dividend-paying token (token + Distribution), an equity class (plus
Voting), a fund (plus its management fee), a stablecoin (plus its collateral-bounded
minter), a multisig Vault or a primary Offering; and deploy that factory."""

from dataclasses import dataclass

from web3 import Web3
from web3.logs import DISCARD

from rwakit.chain.deploy import deploy_asset_factory_for
from rwakit.chain.handles import SystemContracts
from rwakit.chain.token_factory import TokenSpec
from rwakit.chain.transactor import Transactor
from rwakit.contracts.artifacts import ContractArtifact
from rwakit.domain.asset_types import AssetType

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


@dataclass(frozen=True)
class BondTerms:
    """Face value is in denomination units per whole bond; coupon rate 0: zero-coupon.
    For `coupon_push_window` seconds after each period end only the paying agent pays
    (pushes); holders claim after it."""

    denomination: str
    face_value: int
    cap: int
    maturity: int
    coupon_rate_bps: int = 0
    coupon_start: int = 0
    coupon_interval: int = 0
    coupon_periods: int = 0
    coupon_push_window: int = 0

    def as_abi(self) -> tuple:
        return (
            Web3.to_checksum_address(self.denomination),
            self.face_value,
            self.cap,
            self.maturity,
            self.coupon_rate_bps,
            self.coupon_start,
            self.coupon_interval,
            self.coupon_periods,
            self.coupon_push_window,
        )


@dataclass(frozen=True)
class CreatedBond:
    token: str
    bond: str
    coupons: str | None  # None for a zero-coupon bond


@dataclass(frozen=True)
class CreatedDistributingToken:
    token: str
    distribution: str


@dataclass(frozen=True)
class CreatedFund:
    token: str
    distribution: str
    fee: str  # the management fee contract


def token_terms(spec: TokenSpec, admin: str) -> tuple:
    return (
        spec.name,
        spec.symbol,
        spec.decimals,
        Web3.to_checksum_address(admin),
        [Web3.to_checksum_address(a) for a in spec.grants],
        list(spec.grants.values()),
        spec.rules.as_abi(),
    )


def deploy_asset_factory(
    tx: Transactor, artifacts: dict[str, ContractArtifact], contracts: SystemContracts
) -> str:
    """Another `AssetFactory` for ``contracts`` (every deployment already has one)."""
    deployment = contracts.deployment
    return deploy_asset_factory_for(tx, artifacts, deployment.factory, deployment.registry)


def _event(tx: Transactor, factory, receipt: dict, name: str) -> dict:
    (event,) = getattr(factory.events, name)().process_receipt(receipt, errors=DISCARD)
    return event["args"]


def create_bond(
    tx: Transactor, factory, spec: TokenSpec, admin: str, terms: BondTerms
) -> CreatedBond:
    receipt = tx.transact(factory.functions.createBond(token_terms(spec, admin), terms.as_abi()))
    args = _event(tx, factory, receipt, "BondCreated")
    coupons = args["coupons"]
    return CreatedBond(
        token=Web3.to_checksum_address(args["token"]),
        bond=Web3.to_checksum_address(args["bond"]),
        coupons=None if coupons == ZERO_ADDRESS else Web3.to_checksum_address(coupons),
    )


def create_distributing_token(
    tx: Transactor,
    factory,
    spec: TokenSpec,
    admin: str,
    asset_type: AssetType,
    push_window: int = 0,
) -> CreatedDistributingToken:
    """`push_window`: seconds after each record time reserved for the paying agent's pushes."""
    terms = token_terms(spec, admin)
    receipt = tx.transact(
        factory.functions.createDistributingToken(terms, str(asset_type), push_window)
    )
    args = _event(tx, factory, receipt, "DistributingTokenCreated")
    return CreatedDistributingToken(
        token=Web3.to_checksum_address(args["token"]),
        distribution=Web3.to_checksum_address(args["distribution"]),
    )


def create_vault(
    tx: Transactor, factory, signers: list[str], threshold: int, weights: list[int] | None = None
) -> str:
    """A multisig treasury; without weights every signer has one vote (M of N)."""
    call = factory.functions.createVault(
        [Web3.to_checksum_address(a) for a in signers], weights or [], threshold
    )
    args = _event(tx, factory, tx.transact(call), "VaultCreated")
    return Web3.to_checksum_address(args["vault"])


@dataclass(frozen=True)
class OfferingTerms:
    """Price is in payment units per whole token; limits and cap in token units."""

    payment: str
    treasury: str
    price: int
    hard_cap: int
    min_per_investor: int
    max_per_investor: int
    opens: int
    closes: int
    settlement_period: int

    def as_abi(self) -> tuple:
        return (
            Web3.to_checksum_address(self.payment),
            Web3.to_checksum_address(self.treasury),
            self.price,
            self.hard_cap,
            self.min_per_investor,
            self.max_per_investor,
            self.opens,
            self.closes,
            self.settlement_period,
        )


def create_offering(tx: Transactor, factory, token: str, terms: OfferingTerms) -> str:
    """The offering contract; the token's admin must then grant it the SUPPLY role."""
    call = factory.functions.createOffering(Web3.to_checksum_address(token), terms.as_abi())
    args = _event(tx, factory, tx.transact(call), "OfferingCreated")
    return Web3.to_checksum_address(args["offering"])


def create_fund(
    tx: Transactor,
    factory,
    spec: TokenSpec,
    admin: str,
    fee_bps: int,
    fee_receiver: str,
    push_window: int = 0,
) -> CreatedFund:
    """A fund token with its Distribution and its management fee contract (SUPPLY role)."""
    call = factory.functions.createFund(
        token_terms(spec, admin), push_window, fee_bps, Web3.to_checksum_address(fee_receiver)
    )
    receipt = tx.transact(call)
    made = _event(tx, factory, receipt, "DistributingTokenCreated")
    fee = _event(tx, factory, receipt, "FundFeeCreated")
    return CreatedFund(
        token=Web3.to_checksum_address(made["token"]),
        distribution=Web3.to_checksum_address(made["distribution"]),
        fee=Web3.to_checksum_address(fee["fee"]),
    )


@dataclass(frozen=True)
class CreatedStablecoin:
    token: str
    minter: str  # the CollateralMinter, the token's only SUPPLY holder


def create_stablecoin(
    tx: Transactor, factory, spec: TokenSpec, admin: str, collateral_topic: bytes
) -> CreatedStablecoin:
    call = factory.functions.createStablecoin(token_terms(spec, admin), collateral_topic)
    args = _event(tx, factory, tx.transact(call), "StablecoinCreated")
    return CreatedStablecoin(
        token=Web3.to_checksum_address(args["token"]),
        minter=Web3.to_checksum_address(args["minter"]),
    )


@dataclass(frozen=True)
class CreatedEquity:
    token: str
    distribution: str
    voting: str


def create_equity(
    tx: Transactor,
    factory,
    spec: TokenSpec,
    admin: str,
    class_name: str,
    votes_per_share: int = 1,
    push_window: int = 0,
) -> CreatedEquity:
    """A share class: token, Distribution (dividends) and Voting (class metadata, votes)."""
    call = factory.functions.createEquity(
        token_terms(spec, admin), push_window, class_name, votes_per_share
    )
    receipt = tx.transact(call)
    made = _event(tx, factory, receipt, "DistributingTokenCreated")
    equity = _event(tx, factory, receipt, "EquityCreated")
    return CreatedEquity(
        token=Web3.to_checksum_address(made["token"]),
        distribution=Web3.to_checksum_address(made["distribution"]),
        voting=Web3.to_checksum_address(equity["voting"]),
    )
