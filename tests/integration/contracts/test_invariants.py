"""Hypothesis stateful tests of the security token's invariants, against a real anvil.

A small population (four verified wallets, one never registered, one more that the
rules may suspend, revoke or delete like any other) plus the operator, who holds every
role. The rules mint, burn, transfer (signed by the wallet itself), batch-transfer,
force transfers, freeze addresses and partial amounts, suspend / revoke / renew /
delete / re-register identities, schedule snapshot boundaries and move the clock. A
Python model predicts every outcome; after every step the chain is read (one
multicall) and checked against the model and against the invariants directly:

- the balances of all wallets add up to totalSupply, holderCount counts the nonzero ones;
- a wallet whose balance rises is verified by the registry at that moment;
- a frozen address's balance only falls by forced transfer or burn;
- ordinary transfers never spend partially frozen tokens (balance >= frozen amount,
  and the frozen amount does not change);
- at every passed snapshot boundary t, balanceOfAt / totalSupplyAt equal the replayed
  history: the state after every transaction in a block with timestamp <= t.

The node's clock is frozen while the test runs (`anvil_setBlockTimestampInterval 0`)
and moved only by the time rule (`evm_setNextBlockTimestamp` + `evm_mine`), so block
timestamps, and therefore which side of a boundary a transaction falls on, are the
same on every replay: Hypothesis can shrink a failure to a stable minimal sequence.
Several transactions share one timestamp, which exercises boundaries equal to a
transaction's timestamp. Each Hypothesis example runs between `evm_snapshot` and
`evm_revert`, so examples never see each other's transactions.
"""

import copy
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from eth_abi import decode, encode
from eth_account.signers.local import LocalAccount
from eth_utils import function_signature_to_4byte_selector
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from web3 import Web3

from rwakit.bench.scenario import CLAIM_LIFETIME, Scenario, wallet
from rwakit.chain.transactor import TransactionFailed, Transactor
from rwakit.domain.topics import topic_id

SEED = "invariants"
N_WALLETS = 6
NEVER_REGISTERED = 4  # wallet 4 is never registered: it must never receive anything
TOPICS = ("KYC", "AML")
MAX_BOUNDARIES = 10  # keeps the per-step multicall well under its 256-call bound
ZERO = "0x0000000000000000000000000000000000000000"

ORDINARY = {"transfer", "batchTransfer"}  # moves that must respect every freeze
# the only moves allowed out of a frozen address, or to spend partially frozen tokens
CUSTODIAN = {"forcedTransfer", "batchForcedTransfer", "burn", "batchBurn"}
CREDITING = {
    "mint",
    "batchMint",
    "transfer",
    "batchTransfer",
    "forcedTransfer",
    "batchForcedTransfer",
}

# what the run exercised; printed at the end of the test (visible with `-s`)
EXERCISED: Counter[str] = Counter()

SETTINGS = settings(
    max_examples=25,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# ---------------------------------------------------------------- model


@dataclass
class Holder:
    balance: int = 0
    frozen: int = 0  # partially frozen tokens
    address_frozen: bool = False
    registered: bool = False
    suspended: bool = False
    claims: set[str] = field(default_factory=set)

    @property
    def free(self) -> int:
        return self.balance - self.frozen

    @property
    def verified(self) -> bool:
        """What the registry's isVerified answers (no global rules are set)."""
        return self.registered and not self.suspended

    @property
    def identity_word_set(self) -> bool:
        return self.registered or self.suspended

    @property
    def passes_token_rules(self) -> bool:
        """Receiver side of the token's rules: KYC AND AML, country 840, cap 100,000."""
        return self.verified and set(TOPICS) <= self.claims and not self.address_frozen


@dataclass
class Model:
    holders: list[Holder]
    boundaries: set[int] = field(default_factory=set)
    # (block timestamp, balances after the transaction, supply after it), in order
    history: list[tuple[int, tuple[int, ...], int]] = field(default_factory=list)

    @property
    def supply(self) -> int:
        return sum(h.balance for h in self.holders)

    def balances(self) -> tuple[int, ...]:
        return tuple(h.balance for h in self.holders)

    def record(self, timestamp: int) -> None:
        assert not self.history or self.history[-1][0] <= timestamp, "block timestamps went back"
        self.history.append((timestamp, self.balances(), self.supply))

    def at(self, t: int) -> tuple[tuple[int, ...], int]:
        """Balances and supply after every transaction in a block with timestamp <= t."""
        for timestamp, balances, supply in reversed(self.history):
            if timestamp <= t:
                return balances, supply
        return (0,) * len(self.holders), 0

    # Each method returns whether the chain must accept the operation, and applies it if so.

    def transfer(self, sender: int, receiver: int, amount: int) -> bool:
        s, r = self.holders[sender], self.holders[receiver]
        ok = not s.address_frozen and s.free >= amount and not s.suspended and r.passes_token_rules
        if ok and sender != receiver:
            s.balance -= amount
            r.balance += amount
        return ok

    def mint(self, receiver: int, amount: int) -> bool:
        r = self.holders[receiver]
        if r.passes_token_rules:
            r.balance += amount
            return True
        return False

    def burn(self, account: int, amount: int) -> bool:
        h = self.holders[account]
        if amount > h.balance:
            return False
        h.frozen -= max(0, amount - h.free)
        h.balance -= amount
        return True

    def forced_transfer(self, sender: int, receiver: int, amount: int) -> bool:
        """Skips the token's rules (freezes included) but never the receiver's verification."""
        s, r = self.holders[sender], self.holders[receiver]
        if not r.verified or amount > s.balance:
            return False
        s.frozen -= max(0, amount - s.free)
        if sender != receiver:
            s.balance -= amount
            r.balance += amount
        return True


# ---------------------------------------------------------------- fixtures


@dataclass
class Population:
    scenario: Scenario
    accounts: list[LocalAccount]
    investors: list[Transactor]
    addresses: list[str]  # the wallets, then the operator
    registered: set[int]


@pytest.fixture
def population(scenario: Scenario) -> Iterator[Population]:
    """Registers the wallets once for the whole test and freezes the node's clock.

    `scenario` reverts all of it after the test; the clock is unfrozen here, before that.
    """
    request = scenario.w3.provider.make_request
    assert request("anvil_setBlockTimestampInterval", [0]).get("error") is None
    try:
        accounts = [wallet(SEED, i) for i in range(N_WALLETS)]
        registered = {i for i in range(N_WALLETS) if i != NEVER_REGISTERED}
        scenario.register_many([accounts[i].address for i in sorted(registered)])
        investors = [scenario.investor(a) for a in accounts]  # funds each wallet with ETH
        addresses = [a.address for a in accounts] + [scenario.operator.address]
        yield Population(scenario, accounts, investors, addresses, registered)
    finally:
        request("anvil_removeBlockTimestampInterval", [])


# ---------------------------------------------------------------- reading the chain

AGGREGATE = function_signature_to_4byte_selector("aggregate((address,bool,bytes)[])")
CALLS = "(address,bool,bytes)[]"
RESULTS = "(bool,bytes)[]"
View = tuple[str, bytes, str]  # target, calldata, return type


def view(target: str, signature: str, *args: Any, out: str = "uint256") -> View:
    arg_types = signature[signature.index("(") + 1 : -1]
    types = arg_types.split(",") if arg_types else []
    return target, function_signature_to_4byte_selector(signature) + encode(types, args), out


# ---------------------------------------------------------------- state machine


@dataclass
class Reading:
    supply: int
    holder_count: int
    balances: list[int]
    frozen: list[int]
    address_frozen: list[bool]
    verified: list[bool]
    timestamp: int
    next_boundary: int
    last_boundary: int
    boundaries_known: list[bool]  # isSnapshotBoundary, for the model's boundaries in order


class TokenInvariants(RuleBasedStateMachine):
    def __init__(self, population: Population) -> None:
        super().__init__()
        self.pop = population
        self.sc = population.scenario
        self.w3: Web3 = self.sc.w3
        self.token = self.sc.token
        self.registry = self.sc.contracts.registry
        self.multicall = self.sc.contracts.multicall
        self.snapshot_id = self.rpc("evm_snapshot")
        self.model = Model(
            [
                Holder(
                    registered=i in population.registered,
                    claims=set(TOPICS) if i in population.registered else set(),
                )
                for i in range(len(population.addresses))
            ]
        )
        self.last_action = "start"
        self.previous: Reading | None = None

    def teardown(self) -> None:
        assert self.rpc("evm_revert", self.snapshot_id), "evm_revert failed"

    # -------------------------------------------------------- helpers

    def rpc(self, method: str, *params: Any) -> Any:
        response = self.w3.provider.make_request(method, list(params))
        assert response.get("error") is None, f"{method}: {response['error']}"
        return response["result"]

    def now(self) -> int:
        """Timestamp of the latest block; with the frozen clock, also the next block's."""
        return self.w3.eth.get_block("latest")["timestamp"]

    def addr(self, i: int) -> str:
        return self.pop.addresses[i]

    def send(self, transactor: Transactor, call: Any, expected: bool, what: str) -> int | None:
        """Send `call`; the outcome must match the model. Returns the block timestamp."""
        try:
            receipt = transactor.transact(call)
        except TransactionFailed as exc:
            assert not expected, f"{what} reverted ({exc.reason}) but the model expected success"
            return None
        assert expected, f"{what} succeeded but the model expected a revert"
        return self.w3.eth.get_block(receipt["blockNumber"])["timestamp"]

    def act(self, kind: str, call: Any, expected: bool, what: str, by: Transactor | None = None):
        self.last_action = kind
        EXERCISED[f"{what.split('(')[0].split(' ')[0]} {'ok' if expected else 'reverts'}"] += 1
        timestamp = self.send(by or self.sc.operator, call, expected, what)
        if timestamp is not None and kind in CREDITING | CUSTODIAN:
            self.model.record(timestamp)
        return timestamp

    def restriction(self, sender: str, receiver: int, amount: int) -> int:
        return self.token.functions.detectTransferRestriction(
            sender, self.addr(receiver), amount
        ).call()

    def read(self, calls: Sequence[View]) -> list[Any]:
        """Many views in one eth_call; a reverting view reads as None.

        Encoded with eth_abi directly: web3's per-call encoding dominated the runtime.
        """
        payload = [(target, True, data) for target, data, _ in calls]
        raw = self.w3.eth.call(
            {"to": self.multicall.address, "data": AGGREGATE + encode([CALLS], [payload])}
        )
        (results,) = decode([RESULTS], raw)
        return [
            decode([out], data)[0] if ok else None
            for (_, _, out), (ok, data) in zip(calls, results, strict=True)
        ]

    # -------------------------------------------------------- strategies

    def amount(self, data: st.DataObject, holder: int, label: str) -> int:
        h = self.model.holders[holder]
        edges = sorted({0, h.balance, h.free, h.free + 1, h.balance + 1})
        return data.draw(
            st.one_of(st.sampled_from(edges), st.integers(0, h.balance + 3)), label=label
        )

    def party(self, data: st.DataObject, label: str, receiving: bool, likely: Any) -> int:
        """Any wallet (or, receiving, the operator, never verified), but half the time
        one for which `likely(holder)` holds, so enough operations go through."""
        pool = range(N_WALLETS + 1 if receiving else N_WALLETS)
        preferred = [i for i in pool if likely(self.model.holders[i])]
        anyone = st.sampled_from(pool)
        return data.draw(
            st.one_of(st.sampled_from(preferred), anyone) if preferred else anyone, label=label
        )

    def receiver(self, data: st.DataObject, forced: bool = False) -> int:
        if forced:
            return self.party(data, "receiver", True, lambda h: h.verified)
        return self.party(data, "receiver", True, lambda h: h.passes_token_rules)

    def sender(self, data: st.DataObject, forced: bool = False) -> int:
        if forced:
            return self.party(data, "sender", False, lambda h: h.balance > 0)
        return self.party(
            data, "sender", False, lambda h: h.free > 0 and not h.address_frozen and not h.suspended
        )

    wallets = st.integers(0, N_WALLETS - 1)

    # -------------------------------------------------------- rules: supply

    @initialize(
        amounts=st.lists(st.integers(0, 1_000), min_size=4, max_size=4),
        offsets=st.lists(st.integers(0, 12), max_size=4, unique=True),
    )
    def start(self, amounts: list[int], offsets: list[int]) -> None:
        """Four holders, and a few boundaries close ahead so the time rule passes them."""
        assert self.token.functions.totalSupply().call() == 0, "example starts with tokens"
        assert self.token.functions.nextSnapshotBoundary().call() == 0
        receivers = [self.addr(i) for i in range(4)]
        for i, amount in enumerate(amounts):
            assert self.model.mint(i, amount)
        self.act("mint", self.token.functions.batchMint(receivers, amounts), True, "batchMint")
        if offsets:
            self.schedule_snapshots(offsets)

    @rule(amount=st.integers(0, 1_000), data=st.data())
    def mint(self, amount: int, data: st.DataObject) -> None:
        receiver = self.receiver(data)
        code = self.restriction(ZERO, receiver, amount)
        expected = self.model.mint(receiver, amount)
        assert (code == 0) == expected, f"detectTransferRestriction(mint) = {code}"
        call = self.token.functions.mint(self.addr(receiver), amount)
        self.act("mint", call, expected, f"mint({receiver}, {amount})")

    @rule(account=wallets, data=st.data())
    def burn(self, account: int, data: st.DataObject) -> None:
        amount = self.amount(data, account, "amount")
        expected = self.model.burn(account, amount)
        call = self.token.functions.burn(self.addr(account), amount)
        self.act("burn", call, expected, f"burn({account}, {amount})")

    # -------------------------------------------------------- rules: transfers

    @rule(data=st.data())
    def transfer(self, data: st.DataObject) -> None:
        sender, receiver = self.sender(data), self.receiver(data)
        amount = self.amount(data, sender, "amount")
        code = self.restriction(self.addr(sender), receiver, amount)
        expected = self.model.transfer(sender, receiver, amount)
        assert (code == 0) == expected, f"detectTransferRestriction = {code}"
        call = self.token.functions.transfer(self.addr(receiver), amount)
        by = self.pop.investors[sender]
        self.act("transfer", call, expected, f"transfer {sender}->{receiver} {amount}", by)

    @rule(data=st.data())
    def batch_transfer(self, data: st.DataObject) -> None:
        sender = self.sender(data)
        share = self.model.holders[sender].free // 2 + 1
        size = data.draw(st.integers(1, 4), label="size")
        items = [
            (self.receiver(data), data.draw(st.integers(0, share), label="amount"))
            for _ in range(size)
        ]
        expected = self.all_or_nothing(lambda m, r, a: m.transfer(sender, r, a), items)
        call = self.token.functions.batchTransfer(
            [self.addr(r) for r, _ in items], [a for _, a in items]
        )
        by = self.pop.investors[sender]
        self.act("batchTransfer", call, expected, f"batchTransfer {sender}->{items}", by)

    @rule(data=st.data())
    def forced_transfer(self, data: st.DataObject) -> None:
        sender, receiver = self.sender(data, forced=True), self.receiver(data, forced=True)
        amount = self.amount(data, sender, "amount")
        expected = self.model.forced_transfer(sender, receiver, amount)
        call = self.token.functions.forcedTransfer(self.addr(sender), self.addr(receiver), amount)
        self.act("forcedTransfer", call, expected, f"forcedTransfer {sender}->{receiver} {amount}")

    # -------------------------------------------------------- rules: batch forms, all or nothing

    def batch(self, data: st.DataObject, item: Any) -> list[Any]:
        return [item() for _ in range(data.draw(st.integers(1, 3), label="size"))]

    def all_or_nothing(self, apply: Any, items: list[Any]) -> bool:
        trial = copy.deepcopy(self.model)
        expected = all(apply(trial, *item) for item in items)  # stops at the first no
        if expected:
            self.model.holders = trial.holders
        return expected

    @rule(data=st.data())
    def batch_mint(self, data: st.DataObject) -> None:
        items = self.batch(
            data, lambda: (self.receiver(data), data.draw(st.integers(0, 500), label="amount"))
        )
        expected = self.all_or_nothing(Model.mint, items)
        call = self.token.functions.batchMint(
            [self.addr(r) for r, _ in items], [a for _, a in items]
        )
        self.act("batchMint", call, expected, f"batchMint {items}")

    @rule(data=st.data())
    def batch_burn(self, data: st.DataObject) -> None:
        def item() -> tuple[int, int]:
            account = self.sender(data, forced=True)
            return account, self.amount(data, account, "amount") // 2

        items = self.batch(data, item)
        expected = self.all_or_nothing(Model.burn, items)
        call = self.token.functions.batchBurn(
            [self.addr(w) for w, _ in items], [a for _, a in items]
        )
        self.act("batchBurn", call, expected, f"batchBurn {items}")

    @rule(data=st.data())
    def batch_forced_transfer(self, data: st.DataObject) -> None:
        def item() -> tuple[int, int, int]:
            sender = self.sender(data, forced=True)
            amount = self.amount(data, sender, "amount") // 2
            return sender, self.receiver(data, forced=True), amount

        items = self.batch(data, item)
        expected = self.all_or_nothing(Model.forced_transfer, items)
        call = self.token.functions.batchForcedTransfer(
            [self.addr(s) for s, _, _ in items],
            [self.addr(r) for _, r, _ in items],
            [a for _, _, a in items],
        )
        self.act("batchForcedTransfer", call, expected, f"batchForcedTransfer {items}")

    # -------------------------------------------------------- rules: freezes

    @rule(account=wallets, freeze=st.booleans())
    def set_address_frozen(self, account: int, freeze: bool) -> None:
        self.model.holders[account].address_frozen = freeze
        call = self.token.functions.setAddressFrozen(self.addr(account), freeze)
        self.act("freeze", call, True, f"setAddressFrozen({account}, {freeze})")

    @rule(account=wallets, data=st.data())
    def freeze_partial(self, account: int, data: st.DataObject) -> None:
        h = self.model.holders[account]
        amount = data.draw(
            st.one_of(st.sampled_from([0, h.free, h.free + 1]), st.integers(0, h.free + 2)),
            label="amount",
        )
        expected = h.frozen + amount <= h.balance
        if expected:
            h.frozen += amount
        call = self.token.functions.freezePartialTokens(self.addr(account), amount)
        self.act("freeze", call, expected, f"freezePartialTokens({account}, {amount})")

    @rule(account=wallets, data=st.data())
    def unfreeze_partial(self, account: int, data: st.DataObject) -> None:
        h = self.model.holders[account]
        amount = data.draw(st.integers(0, h.frozen + 2), label="amount")
        expected = amount <= h.frozen
        if expected:
            h.frozen -= amount
        call = self.token.functions.unfreezePartialTokens(self.addr(account), amount)
        self.act("freeze", call, expected, f"unfreezePartialTokens({account}, {amount})")

    # -------------------------------------------------------- rules: identities

    @rule(account=wallets, suspended=st.booleans())
    def set_suspended(self, account: int, suspended: bool) -> None:
        h = self.model.holders[account]
        expected = suspended or h.suspended
        if expected:
            h.suspended = suspended
        call = self.registry.functions.setSuspended(self.addr(account), suspended)
        self.act("registry", call, expected, f"setSuspended({account}, {suspended})")

    @rule(account=wallets, topic=st.sampled_from(TOPICS))
    def revoke_claim(self, account: int, topic: str) -> None:
        h = self.model.holders[account]
        expected = topic in h.claims
        h.claims.discard(topic)
        call = self.registry.functions.revokeClaim(self.addr(account), topic_id(topic))
        self.act("registry", call, expected, f"revokeClaim({account}, {topic})")

    @rule(account=wallets)
    def renew_claims(self, account: int) -> None:
        h = self.model.holders[account]
        expected = h.registered
        if expected:
            h.claims = set(TOPICS)
        signed = self.sc.issuer.sign(self.addr(account), TOPICS, self.now() + CLAIM_LIFETIME)
        call = self.registry.functions.batchAddClaims([self.addr(account)], [signed])
        self.act("registry", call, expected, f"batchAddClaims({account})")

    @rule(account=wallets)
    def delete_identity(self, account: int) -> None:
        h = self.model.holders[account]
        expected = h.identity_word_set
        h.registered = h.suspended = False
        h.claims = set()
        call = self.registry.functions.deleteIdentity(self.addr(account))
        self.act("registry", call, expected, f"deleteIdentity({account})")

    @rule(account=wallets.filter(lambda i: i != NEVER_REGISTERED))
    def register(self, account: int) -> None:
        h = self.model.holders[account]
        expected = not h.identity_word_set
        if expected:
            h.registered, h.claims = True, set(TOPICS)
        call = self.sc.register_call(self.addr(account))
        self.act("registry", call, expected, f"registerIdentity({account})")

    # -------------------------------------------------------- rules: time and snapshots

    @rule(seconds=st.sampled_from([1, 2, 3, 5, 60, 3_600]))
    def advance_time(self, seconds: int) -> None:
        self.last_action = "time"
        self.rpc("evm_setNextBlockTimestamp", self.now() + seconds)
        self.rpc("evm_mine")

    @rule()
    def advance_snapshots(self) -> None:
        """Anyone may move the token's passed boundaries forward; balances must not notice."""
        self.act("advanceSnapshots", self.token.functions.advanceSnapshots(), True, "advance")

    @rule()
    def tick(self) -> None:
        """One second: a second rule for the clock, so boundaries pass often enough."""
        self.advance_time(1)

    @rule(offsets=st.lists(st.integers(-1, 8), min_size=1, max_size=3, unique=True))
    def schedule_snapshots(self, offsets: list[int]) -> None:
        if len(self.model.boundaries) >= MAX_BOUNDARIES:
            return
        now = self.now()
        times = [now + o for o in sorted(offsets)]
        expected = times[0] >= now  # the frozen clock: the next block is mined at `now`
        call = self.token.functions.scheduleSnapshots(times)
        timestamp = self.act("schedule", call, expected, f"scheduleSnapshots({times})")
        if timestamp is not None:
            assert timestamp == now
            self.model.boundaries.update(times)

    # -------------------------------------------------------- invariants

    def read_chain(self) -> tuple[Reading, dict[int, tuple[list[int | None], int | None]]]:
        token, registry = self.token.address, self.registry.address
        addresses = self.pop.addresses
        now = self.now()
        passed = sorted(t for t in self.model.boundaries if t < now)
        boundaries = sorted(self.model.boundaries)
        calls = [
            view(token, "totalSupply()"),
            view(token, "holderCount()"),
            view(token, "nextSnapshotBoundary()"),
            view(token, "lastSnapshotBoundary()"),
        ]
        calls += [view(token, "isSnapshotBoundary(uint256)", t, out="bool") for t in boundaries]
        for a in addresses:
            calls += [
                view(token, "balanceOf(address)", a),
                view(token, "getFrozenTokens(address)", a),
                view(token, "isFrozen(address)", a, out="bool"),
                view(registry, "isVerified(address)", a, out="bool"),
            ]
        for t in passed:
            calls.append(view(token, "totalSupplyAt(uint256)", t))
            calls += [view(token, "balanceOfAt(address,uint256)", a, t) for a in addresses]
        values = self.read(calls)
        head, values = values[:4], values[4:]
        known, values = values[: len(boundaries)], values[len(boundaries) :]
        n = len(addresses)
        per, rest = values[: 4 * n], values[4 * n :]
        reading = Reading(
            supply=head[0],
            holder_count=head[1],
            balances=per[0::4],
            frozen=per[1::4],
            address_frozen=per[2::4],
            verified=per[3::4],
            timestamp=now,
            next_boundary=head[2],
            last_boundary=head[3],
            boundaries_known=known,
        )
        history: dict[int, tuple[list[int | None], int | None]] = {}
        for k, t in enumerate(passed):
            chunk = rest[k * (n + 1) : (k + 1) * (n + 1)]
            history[t] = (chunk[1:], chunk[0])
        return reading, history

    @invariant()
    def chain_keeps_the_invariants(self) -> None:
        r, history = self.read_chain()
        action = self.last_action

        # the invariants themselves, on what the chain says
        assert sum(r.balances) == r.supply, f"after {action}: balances sum != totalSupply"
        assert r.holder_count == sum(1 for b in r.balances if b), f"after {action}: holderCount"
        for i, (balance, frozen) in enumerate(zip(r.balances, r.frozen, strict=True)):
            assert balance >= frozen, f"after {action}: wallet {i} has more frozen than held"
        p = self.previous
        if p is not None:
            for i in range(len(r.balances)):
                if r.balances[i] > p.balances[i]:
                    assert action in CREDITING, f"{action} credited wallet {i}"
                    assert r.verified[i], f"{action} credited wallet {i}, which is not verified"
                if r.balances[i] < p.balances[i] and p.address_frozen[i]:
                    assert action in CUSTODIAN, f"frozen wallet {i} sent tokens by {action}"
                if action in ORDINARY:
                    assert r.frozen[i] == p.frozen[i], (
                        f"{action} changed wallet {i}'s frozen tokens"
                    )
                    assert r.balances[i] >= p.frozen[i], (
                        f"{action} spent wallet {i}'s frozen tokens"
                    )
        for t, (balances, supply) in history.items():
            assert None not in balances and supply is not None, f"history at {t} reverted"
            assert sum(balances) == supply, f"balances at {t} do not add up to the supply"

        # the chain agrees with the model, now and at every passed boundary
        m = self.model
        assert r.balances == list(m.balances()), f"after {action}: balances differ from model"
        assert r.frozen == [h.frozen for h in m.holders], f"after {action}: frozen amounts"
        assert r.address_frozen == [h.address_frozen for h in m.holders], "frozen flags"
        assert r.verified == [h.verified for h in m.holders], "isVerified differs from model"
        assert all(r.boundaries_known), "a scheduled boundary is not a boundary"
        # views run at the frozen clock's next block time, which is `now`
        upcoming = [t for t in m.boundaries if t >= r.timestamp]
        passed = [t for t in m.boundaries if t < r.timestamp]
        assert r.next_boundary == min(upcoming, default=0), "nextSnapshotBoundary"
        assert r.last_boundary == max(passed, default=0), "lastSnapshotBoundary"
        EXERCISED["checks of a passed boundary"] += len(history)
        for t, (balances, supply) in history.items():
            want_balances, want_supply = m.at(t)
            assert supply == want_supply, f"totalSupplyAt({t}) = {supply}, replay {want_supply}"
            assert balances == list(want_balances), (
                f"balanceOfAt(·, {t}) = {balances}, replay {list(want_balances)}"
            )
        self.previous = r


def test_token_invariants(population: Population) -> None:
    EXERCISED.clear()
    run_state_machine_as_test(lambda: TokenInvariants(population), settings=SETTINGS)
    print("exercised:", dict(sorted(EXERCISED.items())))
