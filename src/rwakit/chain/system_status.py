"""A picture of a deployed system at one block: chain, contracts, tokens, watched investors
(``SystemStatusReader`` reads it)."""

from dataclasses import dataclass
from typing import Any

from rwakit.domain.amounts import to_decimal_string
from rwakit.domain.countries import country_label


@dataclass(frozen=True)
class WatchedAccount:
    """An investor whose identity and balances the status shows (holders can't be listed
    from the chain without an indexer, so the caller says whom to show)."""

    label: str
    address: str


@dataclass(frozen=True)
class AccountStatus:
    label: str
    address: str
    country: int
    verified: bool


@dataclass(frozen=True)
class Holding:
    label: str
    address: str
    balance: int


@dataclass(frozen=True)
class TokenMetadata:
    """What never changes after creation, so it is read once per token, not per look."""

    address: str
    name: str
    symbol: str
    decimals: int
    asset_type: str


@dataclass(frozen=True)
class TokenStatus:
    meta: TokenMetadata
    paused: bool
    total_supply: int
    holder_count: int
    holdings: tuple[Holding, ...]  # every watched account, zero balances included

    def amount(self, raw: int, *, grouped: bool = False) -> str:
        return to_decimal_string(raw, self.meta.decimals, grouped=grouped)


@dataclass(frozen=True)
class SystemStatus:
    rpc_endpoint: str  # host[:port] only
    chain_id: int
    block_number: int
    block_timestamp: int
    contracts: dict[str, str]
    accounts: tuple[AccountStatus, ...]
    tokens: tuple[TokenStatus, ...]

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types; amounts as decimal strings in token units (the API convention)."""
        return {
            "chain": {
                "rpc_endpoint": self.rpc_endpoint,
                "chain_id": self.chain_id,
                "block_number": self.block_number,
                "block_timestamp": self.block_timestamp,
            },
            "contracts": self.contracts,
            "investors": [
                {
                    "label": a.label,
                    "address": a.address,
                    "country": a.country,
                    "country_code": country_label(a.country),
                    "verified": a.verified,
                }
                for a in self.accounts
            ],
            "tokens": [_token_json(t) for t in self.tokens],
        }


def _token_json(token: TokenStatus) -> dict[str, Any]:
    meta = token.meta
    return {
        "address": meta.address,
        "name": meta.name,
        "symbol": meta.symbol,
        "decimals": meta.decimals,
        "asset_type": meta.asset_type,
        "paused": token.paused,
        "total_supply": token.amount(token.total_supply),
        "holder_count": token.holder_count,
        "balances": {h.address: token.amount(h.balance) for h in token.holdings},
    }
