"""Build a BatchWorker from plain settings: the one place the write path is composed."""

from dataclasses import dataclass

from eth_account import Account
from eth_utils import function_signature_to_4byte_selector
from sqlalchemy import Engine

from rwakit.chain.abi_words import address_word
from rwakit.chain.custody import Custody
from rwakit.chain.fees import GWEI, FeePolicy
from rwakit.chain.rpc_pool import RpcPool
from rwakit.config import Settings
from rwakit.pipeline.authorizer import Authorizer
from rwakit.pipeline.batcher import BatcherConfig
from rwakit.pipeline.chain_client import ChainClient
from rwakit.pipeline.confirmations import TrackerConfig
from rwakit.pipeline.metrics import PipelineMetrics
from rwakit.pipeline.multicall_reads import aggregate
from rwakit.pipeline.partition import ContractPartition
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


def worker_config(settings: Settings) -> WorkerConfig:
    return WorkerConfig(
        window_s=settings.batch_window_ms / 1000,
        batcher=BatcherConfig(gas_cap=settings.batch_gas_cap),
        tracker=TrackerConfig(confirmations=settings.confirmations),
        partition=ContractPartition.parse(settings.worker_partition),
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
        # "pending": a recovered transaction still in the pool has used its nonce
        calls = [(token, False, NONCES + address_word(owner)) for owner in owners]
        answers = aggregate(lambda data: chain.eth_call(spec.multicall, data, "pending"), calls)
        return [int.from_bytes(raw[:32], "big") for _, raw in answers]

    def domain_for(token: str) -> bytes:
        if token not in domains:
            domains[token] = chain.eth_call(token, DOMAIN)[:32]
        return domains[token]

    custody = Custody(WalletStore(engine), spec.wallet_kek, cache_size=100_000)
    authorizer = Authorizer(custody.signers_by_address, read_nonces, domain_for)
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
