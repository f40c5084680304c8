"""Live asset values for the asset detail page, from ONE multicall ``eth_call``: metadata,
supply and pause state, and — for a caller with a wallet — balance, verification and
freeze state, all from the same block."""

from dataclasses import dataclass
from typing import Protocol

from eth_abi import decode

from rwakit.chain.abi_words import address_word, selector
from rwakit.chain.handles import SystemContracts
from rwakit.pipeline.multicall_reads import Call, aggregate


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
        deployment = self._contracts.deployment
        calls: list[Call] = [(deployment.multicall, False, _BLOCK)]
        if with_asset:
            calls += [(address, False, call) for call in _ASSET_CALLS]
        if wallet is not None:
            holder = address_word(wallet)
            calls += [
                (address, False, _BALANCE + holder),
                (deployment.registry, False, _VERIFIED + holder),
                (address, False, _FROZEN + holder),
            ]
        answers = [data for _, data in aggregate(self._call_multicall, calls)]
        block, rest = _uint(answers[0]), answers[1:]
        asset = None
        if with_asset:
            name, symbol, decimals, asset_type, supply, paused = rest[:6]
            rest = rest[6:]
            asset = AssetFigures(
                address.lower(),
                _string(name),
                _string(symbol),
                _uint(decimals),
                _string(asset_type),
                _uint(supply),
                bool(_uint(paused)),
                block,
            )
        figures = None
        if wallet is not None:
            balance, verified, frozen = rest
            figures = HolderFigures(
                wallet.lower(), _uint(balance), bool(_uint(verified)), bool(_uint(frozen))
            )
        return asset, figures

    def _call_multicall(self, data: bytes) -> bytes:
        w3 = self._contracts.w3
        to = w3.to_checksum_address(self._contracts.deployment.multicall)
        return bytes(w3.eth.call({"to": to, "data": data}))


# Selectors and words laid out by hand: on a cache miss, web3's contract objects cost
# more CPU (ABI lookups, checksums, keccak) than the rest of the request.
_BLOCK = selector("getBlockNumber()")
_ASSET_CALLS = [
    selector(f"{name}()")
    for name in ("name", "symbol", "decimals", "asset_type", "totalSupply", "paused")
]
_BALANCE = selector("balanceOf(address)")
_VERIFIED = selector("isVerified(address)")
_FROZEN = selector("isFrozen(address)")


def _uint(word: bytes) -> int:
    return int.from_bytes(word[:32], "big")


def _string(data: bytes) -> str:
    (text,) = decode(["string"], data)
    return str(text)
