"""Every privileged function refuses every role that is not its own ("caller lacks role") and
an account with no roles, and accepts an account holding only its own role."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from eth_account import Account
from web3.contract import Contract
from web3.contract.contract import ContractFunction

from rwakit.bench.scenario import Scenario, wallet
from rwakit.chain.token_factory import TokenRules
from rwakit.chain.transactor import Transactor
from rwakit.domain.roles import RegistryRole, RuleFlag, TokenRole
from rwakit.domain.topics import encode_expression, topic_id
from tests.integration.contracts.harness import (
    GB,
    JP,
    US,
    ZERO,
    checkpoint,
    enrol,
    expect_revert,
    latest_timestamp,
)

LACKS_ROLE = "caller lacks role"
TOKEN_ROLES = [TokenRole.ADMIN, TokenRole.GOVERNANCE, TokenRole.SUPPLY]
TOKEN_ROLES += [TokenRole.CUSTODIAN, TokenRole.EMERGENCY, TokenRole.SCHEDULER]
REGISTRY_ROLES = [RegistryRole.ADMIN, RegistryRole.REGISTRAR, RegistryRole.GOVERNANCE]


@dataclass(frozen=True)
class Cast:
    """Module-wide set-up: one account per single role bit, and the state that lets every
    privileged call succeed when the right role sends it."""

    token: Contract
    registry: Contract
    token_roles: dict[int, Transactor]
    registry_roles: dict[int, Transactor]
    nobody: Transactor
    holder: str  # 1000 tokens, 100 of them frozen, an approval of 5 to `other`
    other: str  # registered, no tokens
    lost: str  # 1000 tokens; the registry recovered its identity to `found`
    found: str
    fresh: str  # unregistered, no roles


@pytest.fixture(scope="module")
def cast(deployed: Scenario, w3, token: Contract, registry: Contract) -> Iterator[Cast]:
    with checkpoint(w3):
        s = deployed
        tx = s.operator
        # per-country caps can only start before the first holder; later cap changes are fine
        tx.transact(token.functions.setCountryHolderCap(US, 1000))
        holder, other, lost = (a.address for a in enrol(s, "roles", 3))
        s.mint_many([holder, lost], 1000)
        found = wallet("roles-found", 0).address
        tx.transact(token.functions.freezePartialTokens(holder, 100))
        tx.transact(token.functions.approveTransfer(holder, other, 5))
        tx.transact(registry.functions.recoverIdentity(lost, found))
        token_roles = {}
        for role in TOKEN_ROLES:
            token_roles[role] = s.investor(wallet("roles-token", int(role)))
            tx.transact(token.functions.grantRole(int(role), token_roles[role].address))
        registry_roles = {}
        for role in REGISTRY_ROLES:
            registry_roles[role] = s.investor(wallet("roles-registry", int(role)))
            tx.transact(registry.functions.grantRole(int(role), registry_roles[role].address))
        yield Cast(
            token=token,
            registry=registry,
            token_roles=token_roles,
            registry_roles=registry_roles,
            nobody=s.investor(wallet("roles-nobody", 0)),
            holder=holder,
            other=other,
            lost=lost,
            found=found,
            fresh=wallet("roles-fresh", 0).address,
        )


Build = Callable[[Scenario, Cast], ContractFunction]


@dataclass(frozen=True)
class Guarded:
    name: str
    allowed: int  # role bits any one of which may call
    build: Build
    prepare: Build | None = None  # sent by the operator first, for the accepted call


def later(s: Scenario) -> int:
    return latest_timestamp(s.w3) + 10**6


TOKEN_FUNCTIONS = [
    Guarded("grantRole", TokenRole.ADMIN, lambda s, c: c.token.functions.grantRole(4, c.fresh)),
    Guarded("revokeRole", TokenRole.ADMIN, lambda s, c: c.token.functions.revokeRole(4, c.holder)),
    Guarded(
        "setIdentityExpression",
        TokenRole.GOVERNANCE,
        lambda s, c: c.token.functions.setIdentityExpression(encode_expression("KYC")),
    ),
    Guarded(
        "setCountryRule",
        TokenRole.GOVERNANCE,
        lambda s, c: c.token.functions.setCountryRule(int(RuleFlag.COUNTRY_ALLOW), [JP], True),
    ),
    Guarded(
        "setMaxHolders", TokenRole.GOVERNANCE, lambda s, c: c.token.functions.setMaxHolders(50)
    ),
    Guarded(
        "setCountryHolderCap",
        TokenRole.GOVERNANCE,
        lambda s, c: c.token.functions.setCountryHolderCap(GB, 10),
    ),
    Guarded(
        "setMaxBalance", TokenRole.GOVERNANCE, lambda s, c: c.token.functions.setMaxBalance(10**24)
    ),
    Guarded(
        "setHoldingPeriod",
        TokenRole.GOVERNANCE,
        lambda s, c: c.token.functions.setHoldingPeriod(60),
    ),
    Guarded(
        "setIssuanceLimit",
        TokenRole.GOVERNANCE,
        lambda s, c: c.token.functions.setIssuanceLimit(10**24, 0),
    ),
    Guarded(
        "setTransferApprovalRequired",
        TokenRole.GOVERNANCE,
        lambda s, c: c.token.functions.setTransferApprovalRequired(True),
    ),
    Guarded(
        "setAddressBlocked",
        TokenRole.GOVERNANCE,
        lambda s, c: c.token.functions.setAddressBlocked(c.other, True),
    ),
    Guarded(
        "scheduleSnapshots",
        TokenRole.GOVERNANCE | TokenRole.SCHEDULER,
        lambda s, c: c.token.functions.scheduleSnapshots([later(s)]),
    ),
    Guarded("mint", TokenRole.SUPPLY, lambda s, c: c.token.functions.mint(c.other, 1)),
    Guarded(
        "batchMint", TokenRole.SUPPLY, lambda s, c: c.token.functions.batchMint([c.other], [1])
    ),
    Guarded("burn", TokenRole.SUPPLY, lambda s, c: c.token.functions.burn(c.holder, 1)),
    Guarded(
        "batchBurn", TokenRole.SUPPLY, lambda s, c: c.token.functions.batchBurn([c.holder], [1])
    ),
    Guarded(
        "forcedTransfer",
        TokenRole.CUSTODIAN,
        lambda s, c: c.token.functions.forcedTransfer(c.holder, c.other, 1),
    ),
    Guarded(
        "batchForcedTransfer",
        TokenRole.CUSTODIAN,
        lambda s, c: c.token.functions.batchForcedTransfer([c.holder], [c.other], [1]),
    ),
    Guarded(
        "setAddressFrozen",
        TokenRole.CUSTODIAN,
        lambda s, c: c.token.functions.setAddressFrozen(c.other, True),
    ),
    Guarded(
        "batchSetAddressFrozen",
        TokenRole.CUSTODIAN,
        lambda s, c: c.token.functions.batchSetAddressFrozen([c.other], [True]),
    ),
    Guarded(
        "freezePartialTokens",
        TokenRole.CUSTODIAN,
        lambda s, c: c.token.functions.freezePartialTokens(c.holder, 1),
    ),
    Guarded(
        "unfreezePartialTokens",
        TokenRole.CUSTODIAN,
        lambda s, c: c.token.functions.unfreezePartialTokens(c.holder, 1),
    ),
    Guarded(
        "batchFreezePartialTokens",
        TokenRole.CUSTODIAN,
        lambda s, c: c.token.functions.batchFreezePartialTokens([c.holder], [1]),
    ),
    Guarded(
        "batchUnfreezePartialTokens",
        TokenRole.CUSTODIAN,
        lambda s, c: c.token.functions.batchUnfreezePartialTokens([c.holder], [1]),
    ),
    Guarded(
        "recoveryAddress",
        TokenRole.CUSTODIAN,
        lambda s, c: c.token.functions.recoveryAddress(c.lost, c.found, ZERO),
    ),
    Guarded(
        "approveTransfer",
        TokenRole.CUSTODIAN,
        lambda s, c: c.token.functions.approveTransfer(c.holder, c.other, 1),
    ),
    Guarded(
        "revokeTransferApproval",
        TokenRole.CUSTODIAN,
        lambda s, c: c.token.functions.revokeTransferApproval(c.holder, c.other, 5),
    ),
    Guarded("pause", TokenRole.EMERGENCY, lambda s, c: c.token.functions.pause()),
    Guarded(
        "unpause",
        TokenRole.EMERGENCY,
        lambda s, c: c.token.functions.unpause(),
        prepare=lambda s, c: c.token.functions.pause(),
    ),
]


REGISTRY_FUNCTIONS = [
    Guarded(
        "grantRole", RegistryRole.ADMIN, lambda s, c: c.registry.functions.grantRole(2, c.fresh)
    ),
    Guarded(
        "revokeRole", RegistryRole.ADMIN, lambda s, c: c.registry.functions.revokeRole(2, c.other)
    ),
    Guarded("registerIdentity", RegistryRole.REGISTRAR, lambda s, c: s.register_call(c.fresh)),
    Guarded(
        "batchRegisterIdentity",
        RegistryRole.REGISTRAR,
        lambda s, c: s.batch_register_call([c.fresh]),
    ),
    Guarded(
        "batchAddClaims",
        RegistryRole.REGISTRAR,
        lambda s, c: c.registry.functions.batchAddClaims(
            [c.holder], s.claims_for(c.holder, ("KYC",))
        ),
    ),
    Guarded(
        "updateCountry",
        RegistryRole.REGISTRAR,
        lambda s, c: c.registry.functions.updateCountry(c.holder, GB),
    ),
    Guarded(
        "setSuspended",
        RegistryRole.REGISTRAR,
        lambda s, c: c.registry.functions.setSuspended(c.holder, True),
    ),
    Guarded(
        "deleteIdentity",
        RegistryRole.REGISTRAR,
        lambda s, c: c.registry.functions.deleteIdentity(c.other),
    ),
    Guarded(
        "recoverIdentity",
        RegistryRole.REGISTRAR,
        lambda s, c: c.registry.functions.recoverIdentity(c.other, c.fresh),
    ),
    Guarded(
        "revokeClaim",
        RegistryRole.REGISTRAR,
        lambda s, c: c.registry.functions.revokeClaim(c.holder, topic_id("KYC")),
    ),
    Guarded(
        "registerTopic",
        RegistryRole.GOVERNANCE,
        lambda s, c: c.registry.functions.registerTopic("NEW"),
    ),
    Guarded(
        "setTrustedIssuer",
        RegistryRole.GOVERNANCE,
        lambda s, c: c.registry.functions.setTrustedIssuer(
            s.issuer.address, [topic_id("PROFESSIONAL")], True
        ),
    ),
    Guarded(
        "setBypass",
        RegistryRole.GOVERNANCE,
        lambda s, c: c.registry.functions.setBypass(c.fresh, True),
    ),
    Guarded(
        "setGlobalExpression",
        RegistryRole.GOVERNANCE,
        lambda s, c: c.registry.functions.setGlobalExpression(encode_expression("KYC")),
    ),
    Guarded(
        "setGlobalCountryBlocked",
        RegistryRole.GOVERNANCE,
        lambda s, c: c.registry.functions.setGlobalCountryBlocked([JP], True),
    ),
]


def refusals(functions: list[Guarded], roles: list, prefix: str) -> list:
    cases = []
    for f in functions:
        for role in [*roles, None]:
            if role is None or not role & f.allowed:
                label = role.name if role is not None else "no-role"
                cases.append(pytest.param(f, role, id=f"{prefix}.{f.name}-{label}"))
    return cases


def acceptances(functions: list[Guarded], roles: list, prefix: str) -> list:
    return [
        pytest.param(f, role, id=f"{prefix}.{f.name}-{role.name}")
        for f in functions
        for role in roles
        if role & f.allowed
    ]


@pytest.mark.parametrize(("guarded", "role"), refusals(TOKEN_FUNCTIONS, TOKEN_ROLES, "token"))
def test_token_function_refuses_wrong_role(scenario, cast, guarded, role):
    caller = cast.nobody if role is None else cast.token_roles[role]
    expect_revert(caller, guarded.build(scenario, cast), LACKS_ROLE)


@pytest.mark.parametrize(("guarded", "role"), acceptances(TOKEN_FUNCTIONS, TOKEN_ROLES, "token"))
def test_token_function_accepts_its_role(scenario, cast, guarded, role):
    if guarded.prepare:
        scenario.operator.transact(guarded.prepare(scenario, cast))
    receipt = cast.token_roles[role].transact(guarded.build(scenario, cast))
    assert receipt["status"] == 1


@pytest.mark.parametrize(
    ("guarded", "role"), refusals(REGISTRY_FUNCTIONS, REGISTRY_ROLES, "registry")
)
def test_registry_function_refuses_wrong_role(scenario, cast, guarded, role):
    caller = cast.nobody if role is None else cast.registry_roles[role]
    expect_revert(caller, guarded.build(scenario, cast), LACKS_ROLE)


@pytest.mark.parametrize(
    ("guarded", "role"), acceptances(REGISTRY_FUNCTIONS, REGISTRY_ROLES, "registry")
)
def test_registry_function_accepts_its_role(scenario, cast, guarded, role):
    receipt = cast.registry_roles[role].transact(guarded.build(scenario, cast))
    assert receipt["status"] == 1


def test_token_roles_hold_only_their_bit(scenario, cast):
    token = cast.token
    for role, holder in cast.token_roles.items():
        assert token.functions.roles(holder.address).call() == role
    assert token.functions.roles(cast.nobody.address).call() == 0


def test_token_role_holders_do_not_act_on_the_registry(scenario, cast):
    """Token roles live in the token: a token admin is nobody to the registry."""
    admin = cast.token_roles[TokenRole.ADMIN]
    expect_revert(admin, scenario.register_call(cast.fresh), LACKS_ROLE)


def test_revoked_role_is_refused_again(scenario, cast):
    supply = cast.token_roles[TokenRole.SUPPLY]
    admin = cast.token_roles[TokenRole.ADMIN]
    admin.transact(cast.token.functions.revokeRole(int(TokenRole.SUPPLY), supply.address))
    assert not cast.token.functions.hasRole(int(TokenRole.SUPPLY), supply.address).call()
    expect_revert(supply, cast.token.functions.mint(cast.other, 1), LACKS_ROLE)
    registrar = cast.registry_roles[RegistryRole.REGISTRAR]
    scenario.operator.transact(
        cast.registry.functions.revokeRole(int(RegistryRole.REGISTRAR), registrar.address)
    )
    expect_revert(registrar, scenario.register_call(cast.fresh), LACKS_ROLE)


@pytest.mark.parametrize("contract", ["token", "registry"])
def test_grant_role_refuses_unknown_bits_and_the_zero_address(scenario, token, registry, contract):
    functions = token.functions if contract == "token" else registry.functions
    unknown = 64 if contract == "token" else 8
    fresh = wallet("roles-grant", 0).address
    expect_revert(scenario.operator, functions.grantRole(unknown, fresh), "unknown role")
    expect_revert(scenario.operator, functions.grantRole(0, fresh), "unknown role")
    expect_revert(scenario.operator, functions.grantRole(1, ZERO), "zero address")


def test_claim_issuer_may_revoke_its_own_claims_only(scenario, cast):
    registry_fns = cast.registry.functions
    issuer = scenario.investor(Account.from_key(scenario.issuer.private_key))
    issuer.transact(registry_fns.revokeClaim(cast.holder, topic_id("KYC")))
    assert registry_fns.claimOf(cast.holder, topic_id("KYC")).call()[0] == ZERO
    # another trusted issuer cannot revoke a claim it did not sign
    other_key = b"\x42" * 32
    other = Account.from_key(other_key)
    scenario.operator.transact(
        registry_fns.setTrustedIssuer(other.address, [topic_id("AML")], True)
    )
    expect_revert(
        scenario.investor(other), registry_fns.revokeClaim(cast.holder, topic_id("AML")), LACKS_ROLE
    )


# ---------------------------------------------------------------- factory


def create_call(s: Scenario, admin: str):
    return s.contracts.factory.functions.createToken(
        "Role Test", "RT", 18, "equity", admin, [], [], TokenRules().as_abi()
    )


def test_factory_create_token_needs_a_creator(scenario, cast):
    factory = scenario.contracts.factory
    for caller in (
        cast.nobody,
        cast.token_roles[TokenRole.ADMIN],
        cast.registry_roles[RegistryRole.ADMIN],
    ):
        expect_revert(caller, create_call(scenario, caller.address), LACKS_ROLE)
    scenario.operator.transact(factory.functions.setCreator(cast.nobody.address, True))
    assert factory.functions.is_creator(cast.nobody.address).call()
    count = factory.functions.token_count().call()
    cast.nobody.transact(create_call(scenario, cast.nobody.address))
    assert factory.functions.token_count().call() == count + 1
    scenario.operator.transact(factory.functions.setCreator(cast.nobody.address, False))
    expect_revert(cast.nobody, create_call(scenario, cast.nobody.address), LACKS_ROLE)


def test_factory_owner_functions_need_the_owner(scenario, cast):
    factory = scenario.contracts.factory
    creator = cast.nobody
    scenario.operator.transact(factory.functions.setCreator(creator.address, True))
    for caller in (creator, cast.token_roles[TokenRole.ADMIN]):
        expect_revert(caller, factory.functions.setCreator(caller.address, True), LACKS_ROLE)
        expect_revert(caller, factory.functions.transferOwnership(caller.address), LACKS_ROLE)
    scenario.operator.transact(factory.functions.transferOwnership(creator.address))
    assert factory.functions.owner().call() == creator.address
    expect_revert(
        scenario.operator, factory.functions.setCreator(scenario.operator.address, True), LACKS_ROLE
    )
    creator.transact(factory.functions.setCreator(cast.fresh, True))
    assert factory.functions.is_creator(cast.fresh).call()


# ---------------------------------------------------------------- the admin extension


def admin_extension(scenario: Scenario):
    deployment = scenario.contracts.deployment
    return scenario.contracts._at("SecurityTokenAdmin", deployment.token_admin).functions


@pytest.mark.parametrize(
    "name",
    [
        "pause",
        "grantRole",
        "setMaxHolders",
        "scheduleSnapshots",
        "advanceSnapshots",
        "installRules",
        "recoveryAddress",
    ],
)
def test_admin_extension_called_directly_refuses(scenario, name):
    functions = admin_extension(scenario)
    call = {
        "pause": lambda: functions.pause(),
        "grantRole": lambda: functions.grantRole(1, scenario.operator.address),
        "setMaxHolders": lambda: functions.setMaxHolders(5),
        "scheduleSnapshots": lambda: functions.scheduleSnapshots([later(scenario)]),
        "advanceSnapshots": lambda: functions.advanceSnapshots(),
        "installRules": lambda: functions.installRules(TokenRules().as_abi()),
        "recoveryAddress": lambda: functions.recoveryAddress(ZERO, ZERO, ZERO),
    }[name]()
    expect_revert(scenario.operator, call, "call through a token")


def test_rules_install_only_once(scenario, token):
    flags = token.functions.ruleFlags().call()
    expect_revert(
        scenario.operator,
        token.functions.installRules(TokenRules().as_abi()),
        "rules already installed",
    )
    assert token.functions.ruleFlags().call() == flags


# every state-changing function is either in a table above or open to anyone on purpose
OPEN_TOKEN_FUNCTIONS = {
    "transfer",
    "transferFrom",
    "approve",
    "batchTransfer",
    "transferWithAuthorization",
    "batchTransferWithAuthorization",
    "advanceSnapshots",
    "installRules",  # only its creator, once: test_rules_install_only_once
}


def state_changing(contract: Contract) -> set[str]:
    return {
        item["name"]
        for item in contract.abi
        if item["type"] == "function" and item["stateMutability"] not in ("view", "pure")
    }


def test_every_state_changing_token_function_is_covered(token):
    guarded = {f.name for f in TOKEN_FUNCTIONS}
    assert state_changing(token) == guarded | OPEN_TOKEN_FUNCTIONS


def test_every_state_changing_registry_function_is_covered(registry):
    assert state_changing(registry) == {f.name for f in REGISTRY_FUNCTIONS}
