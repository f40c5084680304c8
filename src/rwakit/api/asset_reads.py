"""Live asset values for the asset detail page, from ONE multicall ``eth_call``: metadata,
supply and pause state, and — for a caller with a wallet — balance, verification and
freeze state, all from the same block."""

from dataclasses import dataclass
from typing import Protocol

from rwakit.chain.handles import SystemContracts
from rwakit.chain.multicall import MulticallBatch


@dataclass(frozen=True)
class AssetFigures:
    address: str
    name: str
    symbol: str
    decimals: int
    asset_type: str
    total_supply: int
    paused: bool
    block_number: int


@dataclass(frozen=True)
class HolderFigures:
    wallet: str
    balance: int
    verified: bool
    frozen: bool


class AssetReads(Protocol):
    def is_token(self, address: str) -> bool: ...
    def read(
        self, address: str, wallet: str | None, *, with_asset: bool = True
    ) -> tuple[AssetFigures | None, HolderFigures | None]: ...


class ChainAssetReads:
    """``AssetReads`` against a deployment, through its Multicall contract."""

    def __init__(self, contracts: SystemContracts) -> None:
        self._contracts = contracts

    def is_token(self, address: str) -> bool:
        checksum = self._contracts.w3.to_checksum_address(address)
        return bool(self._contracts.factory.functions.is_token(checksum).call())

    def decimals(self, address: str) -> int:
        return int(self._contracts.token(address).functions.decimals().call())

    def read(
        self, address: str, wallet: str | None, *, with_asset: bool = True
    ) -> tuple[AssetFigures | None, HolderFigures | None]:
        c = self._contracts
        fn = c.token(address).functions
        batch = MulticallBatch(c.multicall)
        block = batch.add(c.multicall.functions.getBlockNumber())
        asset_calls = (fn.name, fn.symbol, fn.decimals, fn.asset_type, fn.totalSupply, fn.paused)
        asset_at = [batch.add(f()) for f in asset_calls] if with_asset else []
        holder_at: list[int] = []
        if wallet is not None:
            checksum = c.w3.to_checksum_address(wallet)
            holder_at = [
                batch.add(fn.balanceOf(checksum)),
                batch.add(c.registry.functions.isVerified(checksum)),
                batch.add(fn.isFrozen(checksum)),
            ]
        answers = batch.run()
        asset = None
        if asset_at:
            name, symbol, decimals, asset_type, supply, paused = (answers[i] for i in asset_at)
            asset = AssetFigures(
                address.lower(),
                name,
                symbol,
                decimals,
                asset_type,
                supply,
                paused,
                answers[block],
            )
        holder = None
        if holder_at and wallet is not None:
            balance, verified, frozen = (answers[i] for i in holder_at)
            holder = HolderFigures(wallet.lower(), balance, verified, frozen)
        return asset, holder
