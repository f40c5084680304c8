"""`rwakit bench gas`: gas per operation from receipts, on a fresh chain.

Single operations report the receipt's gasUsed (21,000 base included); per-item figures
are (gasUsed - 21,000) / N.
"""

from collections.abc import Callable

from web3 import Web3

from rwakit.bench.corporate_action_gas import measure_corporate_action_gas
from rwakit.bench.scenario import Scenario, wallet
from rwakit.chain.authorizations import sign_authorization
from rwakit.contracts.artifacts import ContractArtifact

BASE_TX_GAS = 21_000
BATCH = 100
UNIT = 10**18

Progress = Callable[[str], None]


def per_item(gas_used: int, n: int) -> int:
    return round((gas_used - BASE_TX_GAS) / n)


def measure_token_gas(
    w3: Web3, artifacts: dict[str, ContractArtifact], progress: Progress = lambda _: None
) -> dict[str, int]:
    s = Scenario.deploy(w3, artifacts)
    token, registry, op = s.token, s.contracts.registry, s.operator
    gas: dict[str, int] = {}

    def group(name: str, n: int) -> list[str]:
        return [wallet(name, i).address for i in range(n)]

    progress("identities")
    single = wallet("single", 0).address
    gas["register_identity_with_2_claims"] = op.transact(s.register_call(single))["gasUsed"]
    batch = group("batch-registered", BATCH)
    gas["batch_register_identity_100_per_item"] = per_item(
        op.transact(s.batch_register_call(batch))["gasUsed"], BATCH
    )

    sender = wallet("sender", 0)
    existing, new_receivers, new_minted = (
        group("existing", BATCH),
        group("new-receiver", BATCH),
        group("new-minted", BATCH),
    )
    signers = [wallet("signer", i) for i in range(BATCH)]
    singles = group("single-new", 4)
    s.register_many(
        [
            sender.address,
            *existing,
            *new_receivers,
            *new_minted,
            *(a.address for a in signers),
            *singles,
        ]
    )

    progress("minting")
    gas["mint_new_holder"] = op.transact(token.functions.mint(sender.address, 10**9 * UNIT))[
        "gasUsed"
    ]
    gas["batch_mint_100_new_per_item"] = per_item(
        op.transact(token.functions.batchMint(new_minted, [UNIT] * BATCH))["gasUsed"], BATCH
    )
    s.mint_many([*existing, *(a.address for a in signers)], 1000 * UNIT)

    progress("transfers")
    investor = s.investor(sender)
    gas["transfer_existing_holder"] = investor.transact(
        token.functions.transfer(existing[0], UNIT)
    )["gasUsed"]
    gas["transfer_new_holder"] = investor.transact(token.functions.transfer(singles[0], UNIT))[
        "gasUsed"
    ]
    gas["batch_transfer_100_existing_per_item"] = per_item(
        investor.transact(token.functions.batchTransfer(existing, [UNIT] * BATCH))["gasUsed"], BATCH
    )
    gas["batch_transfer_100_new_per_item"] = per_item(
        investor.transact(token.functions.batchTransfer(new_receivers, [UNIT] * BATCH))["gasUsed"],
        BATCH,
    )

    progress("authorizations")
    deadline = s.now + 3600
    domain = token.functions.domainSeparator().call()
    authorizations = [
        sign_authorization(a.key, domain, a.address, existing[i], UNIT, 0, deadline)
        for i, a in enumerate(signers)
    ]
    gas["batch_transfer_with_authorization_100_per_item"] = per_item(
        op.transact(token.functions.batchTransferWithAuthorization(authorizations))["gasUsed"],
        BATCH,
    )

    progress("custodian")
    gas["forced_transfer"] = op.transact(
        token.functions.forcedTransfer(existing[1], existing[2], UNIT)
    )["gasUsed"]
    gas["freeze_address"] = op.transact(token.functions.setAddressFrozen(existing[3], True))[
        "gasUsed"
    ]
    del registry
    gas.update(measure_corporate_action_gas(s, progress))
    return gas
