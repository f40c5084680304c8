"""Merkle airdrops: deploy the (one per deployment) Airdrop contract, create a drop
from entitlements, and the claim calls for one account or a pushed batch."""

from web3 import Web3
from web3.logs import DISCARD

from rwakit.chain.transactor import Transactor
from rwakit.contracts.artifacts import ContractArtifact
from rwakit.domain.airdrop_tree import AirdropTree


def deploy_airdrop(tx: Transactor, artifacts: dict[str, ContractArtifact]) -> str:
    artifact = artifacts["Airdrop"]
    return tx.deploy(
        tx.w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        .constructor()
        .data_in_transaction
    )


def create_drop(
    tx: Transactor,
    airdrop,
    asset: str,
    tree: AirdropTree,
    start: int,
    end: int,
    cliff: int = 0,
    vesting_end: int = 0,
) -> int:
    """Fund and create a drop of `tree.total` (the creator has approved the contract)."""
    call = airdrop.functions.create(
        Web3.to_checksum_address(asset), tree.root, tree.total, start, end, cliff, vesting_end
    )
    (event,) = airdrop.events.DropCreated().process_receipt(tx.transact(call), errors=DISCARD)
    return event["args"]["id"]


def claim_call(airdrop, drop_id: int, tree: AirdropTree, index: int):
    account, amount = tree.entitlements[index]
    return airdrop.functions.claim(drop_id, account, amount, tree.proof(index))


def claim_many_call(airdrop, drop_id: int, tree: AirdropTree, indexes: list[int]):
    entries = [tree.entitlements[i] for i in indexes]
    return airdrop.functions.claimMany(
        drop_id,
        [a for a, _ in entries],
        [n for _, n in entries],
        [tree.proof(i) for i in indexes],
    )
