"""The small demo `rwakit up` seeds: a trusted KYC provider, five verified investors in three
countries, a bond and a stablecoin minted to them, and a few investor transfers.

Idempotent by reading before writing: every step first asks the chain whether its effect is
already there (issuer trusted? wallet registered? token created, unpaused, minted?) and does
only what is missing, so a second run changes nothing and a run cut short finishes the job
(investor transfers are checked as a group: see ``DemoAsset.newcomer``).
Independent transactions go out together and are waited for together, so on a chain with a
block time the demo costs four blocks, not one per transaction.

All keys here are derived from fixed labels (see ``dev_wallets``): fine for a local demo
chain, never for one holding anything of value. Keys are never printed.
"""

from collections.abc import Callable
from dataclasses import dataclass

from eth_account.signers.local import LocalAccount
from web3 import Web3

from rwakit.chain.claim_issuer import ClaimIssuer
from rwakit.chain.dev_wallets import deterministic_key, wallet
from rwakit.chain.handles import SystemContracts
from rwakit.chain.identity_registration import (
    NewIdentity,
    batch_register_call,
    is_trusted_for_all,
    trust_issuer_call,
)
from rwakit.chain.system_status import WatchedAccount
from rwakit.chain.token_factory import TokenRules, TokenSpec, create_token_call, factory_tokens
from rwakit.chain.transactor import Pending, Transactor

US, GB, DE = 840, 826, 276
ISSUER_TOPICS = ("KYC", "AML", "ACCREDITED")
CLAIM_TOPICS = ("KYC", "AML")
CLAIM_LIFETIME = 365 * 24 * 3600
GAS_ALLOWANCE = 10**16  # 0.01 ETH: plenty for an investor's few transfers on a local chain


@dataclass(frozen=True)
class DemoInvestor:
    label: str
    country: int
    index: int  # picks the wallet and the identity id

    @property
    def account(self) -> LocalAccount:
        return wallet("demo-investor", self.index)

    @property
    def address(self) -> str:
        return self.account.address


INVESTORS = (
    DemoInvestor("Alice", US, 0),
    DemoInvestor("Bob", US, 1),
    DemoInvestor("Carol", GB, 2),
    DemoInvestor("Dieter", DE, 3),
    DemoInvestor("Erika", DE, 4),
)
ALICE, BOB, CAROL, DIETER, ERIKA = INVESTORS


@dataclass(frozen=True)
class DemoAsset:
    spec: TokenSpec
    mints: tuple[tuple[DemoInvestor, int], ...]  # (investor, whole tokens)
    # (sender, receiver, whole tokens), submitted together; the last one pays `newcomer`,
    # who gets no mint, so a zero balance there means the transfers have not run yet
    transfers: tuple[tuple[DemoInvestor, DemoInvestor, int], ...]
    newcomer: DemoInvestor

    def __post_init__(self) -> None:
        # the idempotency marker only works if the newcomer's first tokens come last
        assert self.newcomer not in {investor for investor, _ in self.mints}
        assert self.transfers[-1][1] == self.newcomer

    def units(self, whole: int) -> int:
        return whole * 10**self.spec.decimals


BOND = DemoAsset(
    TokenSpec(
        "Demo Treasury Bond 2030",
        "DTB30",
        "bond",
        rules=TokenRules(expression="KYC AND AML", allowed_countries=(US, GB, DE)),
    ),
    mints=((ALICE, 100_000), (BOB, 50_000), (CAROL, 75_000), (DIETER, 25_000)),
    transfers=((CAROL, BOB, 5_000), (ALICE, ERIKA, 10_000)),
    newcomer=ERIKA,
)
STABLECOIN = DemoAsset(
    TokenSpec("Demo USD", "DUSD", "stablecoin", decimals=6, rules=TokenRules(expression="KYC")),
    mints=((ALICE, 250_000), (BOB, 100_000), (CAROL, 150_000), (DIETER, 50_000)),
    transfers=((ALICE, CAROL, 2_000), (DIETER, ERIKA, 500)),
    newcomer=ERIKA,
)
ASSETS = (BOND, STABLECOIN)

Progress = Callable[[str], None]


def demo_issuer(contracts: SystemContracts) -> ClaimIssuer:
    key = deterministic_key("rwakit:demo:claim-issuer")
    return ClaimIssuer(key, contracts.w3.eth.chain_id, contracts.deployment.registry)


def watched_investors() -> list[WatchedAccount]:
    return [WatchedAccount(i.label, i.address) for i in INVESTORS]


@dataclass(frozen=True)
class SeedReport:
    tokens: dict[str, str]  # symbol → address
    transactions: int  # sent by this run; 0 when the demo was already complete


def seed_demo(
    operator: Transactor, contracts: SystemContracts, progress: Progress = lambda _: None
) -> SeedReport:
    """Bring the chain to the demo state, sending only what is missing.

    Four rounds, each depending on the one before: (1) trust the issuer, create the tokens,
    fund the investors who will send; (2) register identities (claims need the trusted
    issuer), unpause; (3) mint to verified investors; (4) investor transfers (need unpaused
    tokens and balances). Within a round the transactions are independent.
    """
    issuer = demo_issuer(contracts)
    progress("trusting the claim issuer, creating tokens, funding investors")
    sent = _wait_all(operator, _setup_round(operator, contracts, issuer))
    tokens = _demo_tokens(contracts)
    progress("registering investors, unpausing tokens")
    sent += _wait_all(operator, _identity_round(operator, contracts, issuer, tokens))
    progress("minting")
    sent += _wait_all(operator, _mint_round(operator, contracts, tokens))
    progress("investor transfers")
    sent += _wait_all(operator, _transfer_round(contracts, tokens))
    return SeedReport(tokens, sent)


def _setup_round(
    operator: Transactor, contracts: SystemContracts, issuer: ClaimIssuer
) -> list[Pending]:
    registry, sent = contracts.registry, []
    if not is_trusted_for_all(registry, issuer.address, ISSUER_TOPICS):
        sent.append(operator.submit(trust_issuer_call(registry, issuer.address, ISSUER_TOPICS)))
    existing = _demo_tokens(contracts)
    for asset in ASSETS:
        if asset.spec.symbol not in existing:
            sent.append(operator.submit(create_token_call(contracts, asset.spec, operator.address)))
    senders = {sender for asset in ASSETS for sender, _, _ in asset.transfers}
    for investor in sorted(senders, key=lambda i: i.index):
        if contracts.w3.eth.get_balance(investor.address) < GAS_ALLOWANCE // 2:
            fund = {"to": investor.address, "value": GAS_ALLOWANCE}
            sent.append(operator.submit_tx(fund, label=f"fund {investor.label}"))
    return sent


def _identity_round(
    operator: Transactor, contracts: SystemContracts, issuer: ClaimIssuer, tokens: dict[str, str]
) -> list[Pending]:
    registry, sent = contracts.registry, []
    missing = [i for i in INVESTORS if not registry.functions.contains(i.address).call()]
    if missing:
        identities = [NewIdentity(i.address, 9_000 + i.index, i.country) for i in missing]
        expiry = contracts.w3.eth.get_block("latest")["timestamp"] + CLAIM_LIFETIME
        call = batch_register_call(registry, issuer, identities, CLAIM_TOPICS, expiry)
        sent.append(operator.submit(call))
    for asset in ASSETS:
        token = contracts.token(tokens[asset.spec.symbol])
        if token.functions.paused().call():
            sent.append(operator.submit(token.functions.unpause()))
    return sent


def _mint_round(
    operator: Transactor, contracts: SystemContracts, tokens: dict[str, str]
) -> list[Pending]:
    sent = []
    for asset in ASSETS:
        token = contracts.token(tokens[asset.spec.symbol])
        if token.functions.totalSupply().call() == 0:
            receivers = [investor.address for investor, _ in asset.mints]
            amounts = [asset.units(whole) for _, whole in asset.mints]
            sent.append(operator.submit(token.functions.batchMint(receivers, amounts)))
    return sent


def _transfer_round(contracts: SystemContracts, tokens: dict[str, str]) -> list[Pending]:
    sent = []
    for asset in ASSETS:
        token = contracts.token(tokens[asset.spec.symbol])
        if token.functions.balanceOf(asset.newcomer.address).call() == 0:
            for sender, receiver, whole in asset.transfers:
                transfer = token.functions.transfer(receiver.address, asset.units(whole))
                sent.append(Transactor(contracts.w3, sender.account).submit(transfer))
    return sent


def _demo_tokens(contracts: SystemContracts) -> dict[str, str]:
    """The demo's tokens among the factory's, by symbol and name (first match wins)."""
    wanted = {(a.spec.symbol, a.spec.name) for a in ASSETS}
    found: dict[str, str] = {}
    for address in factory_tokens(contracts):
        token = contracts.token(address).functions
        key = (token.symbol().call(), token.name().call())
        if key in wanted and key[0] not in found:
            found[key[0]] = Web3.to_checksum_address(address)
    return found


def _wait_all(transactor: Transactor, pending: list[Pending]) -> int:
    # any Transactor can wait: a receipt does not depend on who sent the transaction
    for item in pending:
        transactor.wait(item)
    return len(pending)
