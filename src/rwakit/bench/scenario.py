"""A deployed system with a compliant token and many verified investors, for benchmarks
and tests that need realistic state."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import count

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract.contract import ContractFunction

from rwakit.chain.claim_issuer import ClaimIssuer
from rwakit.chain.deploy import deploy_system
from rwakit.chain.dev_wallets import deterministic_key, wallet
from rwakit.chain.handles import SystemContracts
from rwakit.chain.identity_registration import NewIdentity, batch_register_call, trust_issuer_call
from rwakit.chain.token_factory import TokenRules, TokenSpec, create_token
from rwakit.chain.transactor import Transactor
from rwakit.config import ANVIL_DEV_KEY
from rwakit.contracts.artifacts import ContractArtifact
from rwakit.domain.operation_requests import OperationRequest
from rwakit.domain.roles import RegistryRole, TokenRole

# `wallet` moved to rwakit.chain.dev_wallets; benches and tests still import it from here
__all__ = ["BENCH_RULES", "CLAIM_LIFETIME", "US", "Scenario", "wallet"]

# the gas bench's rule set, as the foundation issue specifies it
BENCH_RULES = TokenRules(
    expression="KYC AND AML",
    allowed_countries=(840, 826, 276, 250, 756),
    max_holders=100_000,
)
US = 840
CLAIM_LIFETIME = 365 * 24 * 3600
CLAIM_TOPICS = ("KYC", "AML")  # what the bench rules ask of every investor
REGISTRATION_BATCH = 100
MINT_BATCH = 200
# gas bounds for setup batches, so they go out without an estimate each (an estimate runs
# the whole batch once more on the node): measured ~38,000 per registration with two
# claims, ~31,000 per mint to a new holder
REGISTRATION_GAS = (30_000, 25_000)  # per identity, and per claim topic on top
MINT_GAS_PER_HOLDER = 60_000
SETUP_TX_GAS = 100_000


@dataclass
class Scenario:
    w3: Web3
    contracts: SystemContracts
    operator: Transactor
    issuer: ClaimIssuer
    token_address: str = ""
    _ids: Iterator[int] = field(default_factory=lambda: count(1))

    @classmethod
    def deploy(
        cls,
        w3: Web3,
        artifacts: dict[str, ContractArtifact],
        rules: TokenRules = BENCH_RULES,
        operator_key: str = ANVIL_DEV_KEY,
    ) -> "Scenario":
        operator = Transactor.from_key(w3, operator_key)
        deployment = deploy_system(operator, artifacts, build_key="scenario")
        contracts = SystemContracts(w3, artifacts, deployment)
        issuer = ClaimIssuer(
            deterministic_key("rwakit:claim-issuer"), w3.eth.chain_id, deployment.registry
        )
        operator.transact(
            trust_issuer_call(contracts.registry, issuer.address, ("KYC", "AML", "ACCREDITED"))
        )
        scenario = cls(w3, contracts, operator, issuer)
        scenario.token_address = scenario.create_token("Bench Bond", "BBND", rules)
        return scenario

    def create_token(self, name: str, symbol: str, rules: TokenRules = BENCH_RULES) -> str:
        """A bond-type token with ``rules``, unpaused, the operator its admin."""
        address = create_token(
            self.operator,
            self.contracts,
            TokenSpec(name, symbol, "bond", rules=rules),
            self.operator.address,
        )
        self.operator.transact(self.contracts.token(address).functions.unpause())
        return address

    def grant_operator_roles(self, signer: str, tokens: Sequence[str]) -> None:
        """What a batch signer needs: minting and custodian actions on ``tokens``,
        registrations on the registry; and gas money."""
        self.fund(signer)
        for address in tokens:
            roles = TokenRole.SUPPLY | TokenRole.CUSTODIAN
            self.operator.transact(self.contracts.token(address).functions.grantRole(roles, signer))
        registry = self.contracts.registry.functions
        self.operator.transact(registry.grantRole(RegistryRole.REGISTRAR, signer))

    @property
    def token(self):
        return self.contracts.token(self.token_address)

    @property
    def now(self) -> int:
        return self.w3.eth.get_block("latest")["timestamp"]

    def claims_for(self, address: str, topics: Sequence[str] = CLAIM_TOPICS) -> list[tuple]:
        return [self.issuer.sign(address, topics, self.now + CLAIM_LIFETIME)]

    def registration_request(
        self,
        wallet: str,
        identity_id: int,
        requester: str = "bench",
        country: int = US,
        now: int | None = None,
    ) -> OperationRequest:
        """A `register_identity` operation with KYC and AML claims signed by the issuer
        (valid from ``now``, the chain's time: asked of the node when not given)."""
        now = self.now if now is None else now
        topics, expiry, v, r, sig_s = self.issuer.sign(wallet, CLAIM_TOPICS, now + CLAIM_LIFETIME)
        claims = {
            "topics": ["0x" + t.hex() for t in topics],
            "expiry": expiry,
            "v": v,
            "r": "0x" + r.hex(),
            "s": "0x" + sig_s.hex(),
        }
        params = {"wallet": wallet, "identity_id": identity_id, "country": country}
        registry = self.contracts.deployment.registry.lower()
        return OperationRequest(
            "register_identity", registry, {**params, "claims": claims}, requester
        )

    def register_call(self, address: str, country: int = US, topics: Sequence[str] = CLAIM_TOPICS):
        return self.contracts.registry.functions.registerIdentity(
            address, next(self._ids), country, self.claims_for(address, topics)
        )

    def batch_register_call(
        self, addresses: Sequence[str], country: int = US, topics: Sequence[str] = CLAIM_TOPICS
    ):
        identities = [NewIdentity(a, next(self._ids), country) for a in addresses]
        return batch_register_call(
            self.contracts.registry, self.issuer, identities, topics, self.now + CLAIM_LIFETIME
        )

    def register_many(
        self, addresses: Sequence[str], country: int = US, topics: Sequence[str] = CLAIM_TOPICS
    ) -> None:
        per_identity = REGISTRATION_GAS[0] + REGISTRATION_GAS[1] * len(topics)
        self._send_all(
            (
                self.batch_register_call(chunk, country, topics),
                SETUP_TX_GAS + per_identity * len(chunk),
            )
            for chunk in _chunks(addresses, REGISTRATION_BATCH)
        )

    def mint_many(self, addresses: Sequence[str], amount: int, token: str | None = None) -> None:
        contract = self.contracts.token(token) if token else self.token
        self._send_all(
            (
                contract.functions.batchMint(chunk, [amount] * len(chunk)),
                SETUP_TX_GAS + MINT_GAS_PER_HOLDER * len(chunk),
            )
            for chunk in _chunks(addresses, MINT_BATCH)
        )

    def _send_all(self, calls: Iterable[tuple[ContractFunction, int]]) -> None:
        """Back to back, then waited for: a block takes many, and the node never idles while
        the next batch's claims are signed (setup of 60,000 investors went from ~4 min to
        ~1)."""
        pending = [self.operator.submit(call, gas=gas) for call, gas in calls]
        for sent in pending:
            self.operator.wait(sent)

    def fund(self, address: str, wei: int = 10**20) -> None:
        self.w3.provider.make_request("anvil_setBalance", [address, hex(wei)])

    def investor(self, account: LocalAccount) -> Transactor:
        self.fund(account.address)
        return Transactor(self.w3, account)


def _chunks(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
