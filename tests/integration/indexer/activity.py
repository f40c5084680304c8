"""Drive a deployed scenario through every event the contracts can log."""

from eth_account.signers.local import LocalAccount

from rwakit.bench.scenario import Scenario, wallet
from rwakit.domain.topics import encode_expression, topic_id

UNIT = 10**18
TOKEN_CUSTODIAN, TOKEN_SCHEDULER = 8, 32
REGISTRY_GOVERNANCE = 4


def investors(label: str, n: int) -> list[LocalAccount]:
    return [wallet(f"indexer-{label}", i) for i in range(n)]


def every_event(s: Scenario) -> dict[str, LocalAccount]:
    """One or more of every event; returns the named investors it used."""
    op, token, registry = s.operator, s.token.functions, s.contracts.registry.functions
    a, b, c, lost, new, gone = investors("all", 6)
    s.register_many([x.address for x in (a, b, c, lost, gone)])
    op.transact(registry.registerTopic("INDEXER_TEST"))
    op.transact(registry.updateCountry(c.address, 826))  # IdentityUpdated
    op.transact(registry.revokeClaim(c.address, topic_id("AML")))  # ClaimRevoked
    op.transact(registry.deleteIdentity(gone.address))  # IdentityRemoved
    op.transact(registry.setGlobalExpression(encode_expression("KYC")))
    op.transact(registry.setGlobalCountryBlocked([408], True))
    op.transact(registry.grantRole(REGISTRY_GOVERNANCE, b.address))
    op.transact(registry.revokeRole(REGISTRY_GOVERNANCE, b.address))
    # token: supply, freezes, rules, roles, approvals, snapshots
    op.transact(token.setCountryHolderCap(840, 1000))  # only before the first holder
    op.transact(token.batchMint([a.address, b.address, lost.address], [100 * UNIT] * 3))
    s.investor(a)
    s.investor(a).transact(token.transfer(b.address, 10 * UNIT))
    s.investor(a).transact(token.approve(b.address, 5 * UNIT))  # ignored event
    op.transact(token.burn(b.address, 3 * UNIT))
    op.transact(token.freezePartialTokens(a.address, 20 * UNIT))
    op.transact(token.unfreezePartialTokens(a.address, 5 * UNIT))
    op.transact(token.setAddressFrozen(b.address, True))
    op.transact(token.freezePartialTokens(lost.address, 7 * UNIT))
    op.transact(token.setAddressFrozen(lost.address, True))
    op.transact(token.setMaxHolders(50_000))  # RuleChanged
    op.transact(token.setIdentityExpression(encode_expression("KYC AND AML")))
    op.transact(token.setCountryRule(2, [124], True))  # CountryRuleSet
    op.transact(token.setAddressBlocked(c.address, True))
    op.transact(token.grantRole(TOKEN_CUSTODIAN | TOKEN_SCHEDULER, c.address))
    op.transact(token.revokeRole(TOKEN_SCHEDULER, c.address))
    op.transact(token.approveTransfer(a.address, b.address, UNIT))  # TransferApproved
    op.transact(token.scheduleSnapshots([s.now + 3600]))
    op.transact(token.pause())
    op.transact(token.unpause())
    # recovery: registry first, then the token (Transfer, TokensUnfrozen, AddressFrozen, …)
    op.transact(registry.recoverIdentity(lost.address, new.address))
    op.transact(token.recoveryAddress(lost.address, new.address, new.address))
    return {"a": a, "b": b, "c": c, "lost": lost, "new": new, "gone": gone}
