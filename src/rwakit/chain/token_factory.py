"""Create tokens through the factory: one transaction per token, rules and roles included."""

from dataclasses import dataclass, field

from web3 import Web3
from web3.contract.contract import ContractFunction
from web3.logs import DISCARD

from rwakit.chain.handles import SystemContracts
from rwakit.chain.transactor import Transactor
from rwakit.domain.topics import encode_expression


@dataclass(frozen=True)
class TokenRules:
    """A token's compliance rules; zero / empty means the rule is off."""

    expression: str = ""
    allowed_countries: tuple[int, ...] = ()
    blocked_countries: tuple[int, ...] = ()
    max_holders: int = 0
    max_balance: int = 0
    holding_period: int = 0
    issuance_limit: int = 0
    issuance_period: int = 0
    require_transfer_approval: bool = False

    def as_abi(self) -> tuple:
        return (
            encode_expression(self.expression),
            list(self.allowed_countries),
            list(self.blocked_countries),
            self.max_holders,
            self.max_balance,
            self.holding_period,
            self.issuance_limit,
            self.issuance_period,
            self.require_transfer_approval,
        )


@dataclass(frozen=True)
class TokenSpec:
    name: str
    symbol: str
    asset_type: str
    decimals: int = 18
    rules: TokenRules = TokenRules()
    grants: dict[str, int] = field(default_factory=dict)  # extra role holders: address -> role bits


def create_token_call(contracts: SystemContracts, spec: TokenSpec, admin: str) -> ContractFunction:
    return contracts.factory.functions.createToken(
        spec.name,
        spec.symbol,
        spec.decimals,
        spec.asset_type,
        admin,
        list(spec.grants),
        list(spec.grants.values()),
        spec.rules.as_abi(),
    )


def create_token(tx: Transactor, contracts: SystemContracts, spec: TokenSpec, admin: str) -> str:
    """Deploy a token from the blueprint; returns its address (from the TokenCreated event)."""
    receipt = tx.transact(create_token_call(contracts, spec, admin))
    (event,) = contracts.factory.events.TokenCreated().process_receipt(receipt, errors=DISCARD)
    return Web3.to_checksum_address(event["args"]["token"])


def factory_tokens(contracts: SystemContracts) -> list[str]:
    """Every token the factory created, oldest first (the factory keeps an index of them)."""
    factory = contracts.factory
    count = factory.functions.token_count().call()
    return [Web3.to_checksum_address(factory.functions.token_at(i).call()) for i in range(count)]
