"""The matcher: raw log → decoded ``Event`` → its handler, by (contract kind, topic0).

The contract kind comes from the log's address (the registry, the factory, a token the
factory created, or a contract discovered from creation events: asset factories, bonds,
coupons, distributions, …); a token's core and admin-extension events share the token's
address.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rwakit.chain.handles import token_abi
from rwakit.contracts.artifacts import ContractArtifact
from rwakit.indexer.events import Event, EventSpec, event_specs
from rwakit.indexer.handlers import (
    airdrop,
    asset_factory,
    bond,
    collateral_minter,
    distribution,
    fixed_yield,
    fund_fee,
    identity_registry,
    offering,
    security_token,
    settlement,
    token_factory,
    vault,
    voting,
)
from rwakit.indexer.state import Handler

REGISTRY, FACTORY, TOKEN = "IdentityRegistry", "TokenFactory", "SecurityToken"
# contract kind → the module with its HANDLERS, IGNORED, PREFETCH and DEDICATED tables
HANDLER_MODULES = {
    REGISTRY: identity_registry,
    FACTORY: token_factory,
    TOKEN: security_token,
    "AssetFactory": asset_factory,
    "Bond": bond,
    "FixedYield": fixed_yield,
    "Distribution": distribution,
    "Voting": voting,
    "FundFee": fund_fee,
    "CollateralMinter": collateral_minter,
    "Vault": vault,
    "Offering": offering,
    "Settlement": settlement,
    "Airdrop": airdrop,
}
# ABI artifacts whose events each kind emits (the admin extension logs as the token)
KIND_ARTIFACTS = {
    REGISTRY: ("IdentityRegistry",),
    FACTORY: ("TokenFactory",),
    TOKEN: ("SecurityToken", "SecurityTokenAdmin"),
    **{kind: (kind,) for kind in HANDLER_MODULES if kind not in (REGISTRY, FACTORY, TOKEN)},
}

# Contracts the index does not follow, each with the reason; the coverage test fails
# for any other contract with events that no kind above covers.
NOT_YET_INDEXED = {
    "PaymentToken": "a plain ERC-20 for tests and local set-ups; payment assets can be any "
    "ERC-20, whose balances the API reads live",
}


def kind_abi(kind: str, artifacts: dict[str, ContractArtifact]) -> list[dict[str, Any]]:
    if kind == TOKEN:
        return token_abi(artifacts)
    return artifacts[KIND_ARTIFACTS[kind][0]].abi


@dataclass
class Matcher:
    registry: str
    factory: str
    artifacts: dict[str, ContractArtifact]
    tokens: set[str] = field(default_factory=set)
    # deployment-wide contracts created outside any factory (Settlement, Airdrop):
    # address → contract name
    configured: dict[str, str] = field(default_factory=dict)
    # every other followed contract but tokens: address → contract name
    contracts: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.registry, self.factory = self.registry.lower(), self.factory.lower()
        self.configured = {a.lower(): kind for a, kind in self.configured.items()}
        self.contracts = {**self.configured, **self.contracts}
        self._routes: dict[tuple[str, str], Route] = {}
        self._specs: dict[str, dict[str, EventSpec]] = {
            kind: event_specs(kind, kind_abi(kind, self.artifacts)) for kind in HANDLER_MODULES
        }
        # kind → topic0 → (event name, decoder), without the ignored events
        self._decoders: dict[str, dict[str, tuple[str, Callable[[dict], dict]]]] = {
            kind: {
                topic: (spec.name, spec.compiled or spec.decode)
                for topic, spec in specs.items()
                if spec.name not in HANDLER_MODULES[kind].IGNORED
            }
            for kind, specs in self._specs.items()
        }
        # (kind, event name) → what finds the contracts such an event creates
        self._discovers: dict[tuple[str, str], Callable[[Event], dict[str, str]]] = {
            (kind, name): found
            for kind, module in HANDLER_MODULES.items()
            for name, found in getattr(module, "DISCOVERS", {}).items()
        }

    def followed(self) -> dict[str, str]:
        """Address → kind of every contract whose logs are fetched besides the registry and
        the factory."""
        return {**dict.fromkeys(self.tokens, TOKEN), **self.contracts}

    def follow(self, found: Mapping[str, str]) -> None:
        for address, kind in found.items():
            if kind == TOKEN:
                self.tokens.add(address)
            else:
                self.contracts[address] = kind

    def kind_of(self, address: str, known: Mapping[str, str] | None = None) -> str | None:
        if address == self.registry:
            return REGISTRY
        if address == self.factory:
            return FACTORY
        if known is not None:
            return known.get(address)
        return TOKEN if address in self.tokens else self.contracts.get(address)

    def decode_many(self, logs: list[dict[str, Any]], known: Mapping[str, str]) -> list[Event]:
        """``decode`` of every log that is not ``removed``, leaving out those that are no
        events of ours: the fetch's hot loop, with the kind of each address looked up once
        (and one lower-case string per address shared by its events)."""
        kinds: dict[str, tuple[str, str | None]] = {}
        decoders = self._decoders
        found: list[Event] = []
        append = found.append
        for log in logs:
            if log.get("removed"):
                continue
            address, kind = kinds.get(log["address"]) or kinds.setdefault(
                log["address"], self._address_kind(log["address"], known)
            )
            topics = log["topics"]
            if kind is None or not topics:
                continue
            entry = decoders[kind].get(topics[0])
            if entry is None:
                continue
            name, decode = entry
            append(
                Event(
                    kind,
                    name,
                    address,
                    decode(log),
                    int(log["blockNumber"], 16),
                    int(log["logIndex"], 16),
                    log["blockHash"],
                    log["transactionHash"],
                )
            )
        return found

    def _address_kind(self, address: str, known: Mapping[str, str]) -> tuple[str, str | None]:
        lowered = address.lower()
        return lowered, self.kind_of(lowered, known)

    def decode(self, log: dict[str, Any], known: Mapping[str, str] | None = None) -> Event | None:
        """The log as an Event, or None when it is no event of ours (or an ignored one).

        ``known``: the followed contracts (address → kind), when not the matcher's own."""
        address = log["address"].lower()
        kind = self.kind_of(address, known)
        if kind is None or not log["topics"]:
            return None
        spec = self._specs[kind].get(log["topics"][0])
        if spec is None or spec.name in HANDLER_MODULES[kind].IGNORED:
            return None
        return Event(
            contract_kind=kind,
            name=spec.name,
            address=address,
            args=spec.decode(log),
            block_number=int(log["blockNumber"], 16),
            log_index=int(log["logIndex"], 16),
            block_hash=log["blockHash"],
            tx_hash=log["transactionHash"],
        )

    def discovered(self, event: Event) -> dict[str, str]:
        """Contracts ``event`` creates (address → kind), which the index then follows."""
        found = self._discovers.get((event.contract_kind, event.name))
        return found(event) if found else {}

    def route(self, event: Event) -> "Route":
        """How ``event`` is applied; looked up once per contract kind and event name."""
        key = (event.contract_kind, event.name)
        found = self._routes.get(key)
        if found is None:
            module = HANDLER_MODULES[event.contract_kind]
            found = self._routes[key] = Route(
                module.HANDLERS[event.name],
                module.PREFETCH.get(event.name),
                event.name in module.DEDICATED,
            )
        return found

    def handler(self, event: Event) -> Handler:
        return self.route(event).handler


@dataclass(frozen=True, slots=True, eq=False)  # one per kind and name: compared by identity
class Route:
    handler: Handler
    # the rows a range's events of this name read: (table, key) pairs, for one bulk load
    prefetch: Callable[[list[Event]], list[tuple[str, Any]]] | None
    has_own_table: bool  # else the event is copied into the generic event log
