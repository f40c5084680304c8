"""Two workers with their own signers split the contracts between them: each batches only
the contracts of its partition, and together they confirm everything."""

from dataclasses import replace

from sqlalchemy import Engine

from rwakit.chain.dev_wallets import wallet
from rwakit.domain.operation_requests import OperationRequest
from rwakit.domain.roles import RegistryRole, TokenRole
from rwakit.pipeline.partition import ContractPartition
from rwakit.pipeline.service import OperationService
from rwakit.pipeline.worker import WorkerConfig
from tests.integration.pipeline.conftest import PipelineChain
from tests.integration.pipeline.helpers import (
    DONE,
    UNIT,
    ThreadWorker,
    all_batches,
    wait_final,
)


def _split(chain: PipelineChain) -> tuple[int, int, int]:
    """A partition count that puts the token and the registry with different workers,
    and the index of each."""
    for count in range(2, 64):
        token = next(i for i in range(count) if ContractPartition(i, count).owns(chain.token))
        registry = next(i for i in range(count) if ContractPartition(i, count).owns(chain.registry))
        if token != registry:
            return count, token, registry
    raise AssertionError("no partition count separates the token from the registry")


def test_each_worker_batches_only_its_contracts(
    pipeline_chain: PipelineChain, engine: Engine, kek: bytes, service: OperationService
) -> None:
    chain, s = pipeline_chain, pipeline_chain.scenario
    second = wallet("pipeline-second-signer", 0)
    s.fund(second.address)
    s.operator.transact(s.token.functions.grantRole(TokenRole.SUPPLY, second.address))
    registry = s.contracts.registry.functions
    s.operator.transact(registry.grantRole(RegistryRole.REGISTRAR, second.address))

    count, token_index, registry_index = _split(chain)
    mints = chain.take_verified(6)
    newcomers = [wallet("pipeline-partition-newcomer", i).address.lower() for i in range(4)]
    requests = [
        OperationRequest("mint", chain.token, {"to": to, "amount": UNIT + i}, "t")
        for i, to in enumerate(mints)
    ] + [s.registration_request(w, 7_000_000 + i, "t") for i, w in enumerate(newcomers)]
    op_ids = service.submit_many(requests)

    first_spec = chain.spec(kek)
    second_spec = replace(first_spec, signer_key=bytes(second.key).hex())
    workers = [
        ThreadWorker(
            engine, first_spec, config=WorkerConfig(partition=ContractPartition(token_index, count))
        ),
        ThreadWorker(
            engine,
            second_spec,
            config=WorkerConfig(partition=ContractPartition(registry_index, count)),
        ),
    ]
    for worker in workers:
        worker.start()
    try:
        rows = wait_final(service, op_ids, 60, workers[0])
        workers[1].check()
    finally:
        for worker in workers:
            worker.stop()

    assert {row.state for row in rows.values()} <= set(DONE), {
        i: (r.state.name, r.reason_code) for i, r in rows.items()
    }
    signer_of = {
        chain.token: workers[0].worker.signer.address.lower(),
        chain.registry: second.address.lower(),
    }
    batches = all_batches(engine)
    assert {b.contract.lower() for b in batches} == set(signer_of)
    for batch in batches:
        assert batch.signer.lower() == signer_of[batch.contract.lower()], batch
    for i, to in enumerate(mints):
        assert chain.balance(to) == UNIT + i
    for w in newcomers:
        assert registry.contains(chain.w3.to_checksum_address(w)).call()
