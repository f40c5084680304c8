"""Build a BatchWorker from plain settings: the one place the write path is composed."""

from dataclasses import dataclass

from eth_abi import decode, encode
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import function_signature_to_4byte_selector
from sqlalchemy import Engine

from rwakit.chain.custody import Custody
from rwakit.chain.fees import GWEI, FeePolicy
from rwakit.chain.rpc_pool import RpcPool
from rwakit.config import Settings
from rwakit.pipeline.authorizer import Authorizer
from rwakit.pipeline.batcher import BatcherConfig
from rwakit.pipeline.chain_client import ChainClient
from rwakit.pipeline.confirmations import TrackerConfig
from rwakit.pipeline.metrics import PipelineMetrics
from rwakit.pipeline.worker import BatchWorker, WorkerConfig
from rwakit.store.wallets import WalletStore

NONCES = function_signature_to_4byte_selector("nonces(address)")
DOMAIN = function_signature_to_4byte_selector("domainSeparator()")


@dataclass(frozen=True)
class WorkerSpec:
    rpc_urls: tuple[str, ...]
    chain_id: int
    multicall: str
    registry: str
    signer_key: str
    wallet_kek: bytes


class CustodialAccounts:
    """Investor signers by address, from encrypted custodial keys."""

    def __init__(self, engine: Engine, kek: bytes) -> None:
        self._wallets = WalletStore(engine)
        self._custody = Custody(self._wallets, kek, cache_size=100_000)
        self._owner: dict[str, str] = {}

    def __call__(self, address: str) -> LocalAccount:
        owner = self._owner.get(address)
        if owner is None:
            row = self._wallets.get_by_address(address)
            if row is None:
                raise LookupError(f"{address} is not a custodial wallet")
            owner = self._owner[address] = row.owner
        return self._custody.signer_for(owner)


def worker_config(settings: Settings) -> WorkerConfig:
    return WorkerConfig(
        window_s=settings.batch_window_ms / 1000,
        batcher=BatcherConfig(gas_cap=settings.batch_gas_cap),
        tracker=TrackerConfig(confirmations=settings.confirmations),
    )


def fee_policy(settings: Settings) -> FeePolicy:
    return FeePolicy(
        ceiling_base_fee=int(settings.fee_ceiling_gwei * GWEI),
        priority_fee=int(settings.priority_fee_gwei * GWEI),
    )


def build_worker(
    engine: Engine,
    spec: WorkerSpec,
    metrics: PipelineMetrics | None = None,
    config: WorkerConfig | None = None,
    fees: FeePolicy | None = None,
) -> tuple[BatchWorker, RpcPool]:
    pool = RpcPool(list(spec.rpc_urls))
    chain = ChainClient(pool.call, pool.batch)
    domains: dict[str, bytes] = {}

    def read_nonces(token: str, owners: list[str]) -> list[int]:
        return [
            # "pending": a recovered transaction still in the pool has used its nonce
            decode(
                ["uint256"], chain.eth_call(token, NONCES + encode(["address"], [o]), "pending")
            )[0]
            for o in owners
        ]

    def domain_for(token: str) -> bytes:
        if token not in domains:
            domains[token] = chain.eth_call(token, DOMAIN)[:32]
        return domains[token]

    authorizer = Authorizer(CustodialAccounts(engine, spec.wallet_kek), read_nonces, domain_for)
    worker = BatchWorker(
        engine,
        chain,
        Account.from_key(spec.signer_key),
        chain_id=spec.chain_id,
        multicall=spec.multicall,
        registry=spec.registry,
        authorizer=authorizer,
        fees=fees or FeePolicy(),
        metrics=metrics,
        config=config,
    )
    return worker, pool
