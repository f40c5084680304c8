"""Creating assets on chain, by type: the ``AssetIssuer`` port the router calls and its
chain adapter, which signs with the deployer key (the token's admin, so the worker that
signs with the same key can mint).

A deposit token comes from the TokenFactory alone; a bond, equity class, fund or
stablecoin comes with its companion contracts from the AssetFactory in one transaction,
so those need one configured. Transactions from one key go out one at a time (a lock),
as each reads its nonce from the node."""

import threading
from dataclasses import dataclass, field
from typing import Protocol

from web3 import Web3
from web3.contract import Contract
from web3.exceptions import Web3Exception

from rwakit.chain.asset_creation import (
    BondTerms,
    create_bond,
    create_equity,
    create_fund,
    create_stablecoin,
)
from rwakit.chain.handles import SystemContracts
from rwakit.chain.token_factory import TokenSpec, create_token
from rwakit.chain.transactor import Transactor
from rwakit.domain.asset_types import AssetType
from rwakit.domain.topics import topic_id


@dataclass(frozen=True)
class AssetOrder:
    """A validated creation request: amounts already in smallest units."""

    asset_type: AssetType
    name: str
    symbol: str
    decimals: int
    bond: BondTerms | None = None
    class_name: str = ""
    votes_per_share: int = 1
    fee_bps: int = 0
    fee_receiver: str = ""
    collateral_topic: str = ""
    push_window: int = 0


@dataclass(frozen=True)
class CreatedAsset:
    token: str
    contracts: dict[str, str] = field(default_factory=dict)  # companions by role


class AssetFactoryMissing(RuntimeError):
    """The AssetFactory is needed for this type and none is configured."""


class AssetIssuer(Protocol):
    def create(self, order: AssetOrder) -> CreatedAsset: ...

    def decimals_of(self, erc20: str) -> int:
        """An ERC-20's decimals (a bond's denomination); LookupError if it has none."""
        ...


_DECIMALS_ABI = [
    {
        "name": "decimals",
        "type": "function",
        "stateMutability": "view",
        "inputs": [],
        "outputs": [{"name": "", "type": "uint8"}],
    }
]


class ChainAssetIssuer:
    def __init__(
        self, contracts: SystemContracts, signer: Transactor, asset_factory: Contract | None
    ) -> None:
        self._contracts = contracts
        self._signer = signer
        self._asset_factory = asset_factory
        self._lock = threading.Lock()

    def decimals_of(self, erc20: str) -> int:
        w3 = self._contracts.w3
        token = w3.eth.contract(address=Web3.to_checksum_address(erc20), abi=_DECIMALS_ABI)
        try:
            return int(token.functions.decimals().call())
        except (Web3Exception, ValueError):
            raise LookupError(erc20) from None

    def create(self, order: AssetOrder) -> CreatedAsset:
        spec = TokenSpec(order.name, order.symbol, order.asset_type.value, order.decimals)
        admin = self._signer.address
        with self._lock:
            if order.asset_type is AssetType.DEPOSIT:
                return CreatedAsset(create_token(self._signer, self._contracts, spec, admin))
            factory = self._asset_factory
            if factory is None:
                raise AssetFactoryMissing(order.asset_type.value)
            tx = self._signer
            if order.asset_type is AssetType.BOND:
                assert order.bond is not None
                bond = create_bond(tx, factory, spec, admin, order.bond)
                extra = {"bond": bond.bond} | ({"coupons": bond.coupons} if bond.coupons else {})
                return CreatedAsset(bond.token, extra)
            if order.asset_type is AssetType.EQUITY:
                made = create_equity(
                    tx,
                    factory,
                    spec,
                    admin,
                    order.class_name,
                    order.votes_per_share,
                    order.push_window,
                )
                return CreatedAsset(
                    made.token, {"distribution": made.distribution, "voting": made.voting}
                )
            if order.asset_type is AssetType.FUND:
                fund = create_fund(
                    tx, factory, spec, admin, order.fee_bps, order.fee_receiver, order.push_window
                )
                return CreatedAsset(
                    fund.token, {"distribution": fund.distribution, "fee": fund.fee}
                )
            coin = create_stablecoin(tx, factory, spec, admin, topic_id(order.collateral_topic))
            return CreatedAsset(coin.token, {"minter": coin.minter})
