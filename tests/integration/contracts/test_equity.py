"""Equity: a share class created with dividends and voting in one transaction; votes
weigh record-time balances; delegation writes checkpoints only for delegating holders."""

import pytest
from web3.exceptions import ContractLogicError

from rwakit.bench.scenario import BENCH_RULES
from rwakit.chain.asset_creation import create_equity
from rwakit.chain.token_factory import TokenSpec
from rwakit.domain.asset_types import AssetType
from rwakit.domain.roles import TokenRole
from tests.integration.contracts.corporate_world import DAY, build_world
from tests.integration.contracts.harness import ZERO, expect_revert, mine_at

SHARE = 10**18
TOPIC = b"\x01" * 32


@pytest.fixture(scope="module")
def world(deployed):
    with build_world(deployed, "equity") as w:
        yield w


@pytest.fixture
def equity(world, scenario):
    """Class B shares, 2 votes each; investors 0, 1, 2 hold 3, 5 and 7 shares, trading."""
    spec = TokenSpec("Acme Class B", "ACMEB", AssetType.EQUITY, rules=BENCH_RULES)
    created = create_equity(world.op, world.factory, spec, world.op.address, "Class B common", 2)
    token = world.token(created.token)
    holders = [h.address for h in world.investors[:3]]
    world.op.transact(token.functions.batchMint(holders, [3 * SHARE, 5 * SHARE, 7 * SHARE]))
    world.op.transact(token.functions.unpause())
    return created, token, world.contracts.voting(created.voting)


def propose(world, voting):
    record, ends = world.now + DAY, world.now + 8 * DAY
    world.op.transact(voting.functions.propose(TOPIC, record, ends))
    return voting.functions.proposal_count().call(), record, ends


def test_creation_records_the_class_and_wires_roles(world, equity):
    created, token, voting = equity
    assert token.functions.asset_type().call() == "equity"
    assert voting.functions.class_name().call() == "Class B common"
    assert voting.functions.VOTES_PER_SHARE().call() == 2
    assert token.functions.roles(created.voting).call() == TokenRole.SCHEDULER
    assert token.functions.roles(created.distribution).call() == TokenRole.SCHEDULER
    assert token.functions.roles(world.factory.address).call() == 0


def test_votes_weigh_record_balances_and_delegation(world, equity):
    _created, token, voting = equity
    a, b, c = world.investors[:3]
    # b delegates to a before the record time; only b writes a checkpoint
    world.as_(b).transact(voting.functions.delegate(a.address))
    assert voting.functions.checkpoints(b.address, 0).call()[1] == a.address
    for holder in (a, c):  # no checkpoint for holders who never delegated
        with pytest.raises(ContractLogicError):
            voting.functions.checkpoints(holder.address, 0).call()
    id_, record, ends = propose(world, voting)
    assert token.functions.isSnapshotBoundary(record).call()
    expect_revert(world.as_(a), voting.functions.castVote(id_, True), "voting not open")
    mine_at(world.s.w3, record + 1)
    # balances moving after the record time change nothing
    world.as_(c).transact(token.functions.transfer(a.address, 7 * SHARE))
    assert voting.functions.delegateAt(b.address, record).call() == a.address
    assert voting.functions.delegateAt(c.address, record).call() == ZERO
    world.as_(a).transact(voting.functions.castVote(id_, True))
    world.as_(a).transact(voting.functions.castVotesFor(id_, True, [b.address]))
    world.as_(c).transact(voting.functions.castVote(id_, False))
    assert voting.functions.votes_for(id_).call() == 2 * 8 * SHARE
    assert voting.functions.votes_against(id_).call() == 2 * 7 * SHARE
    expect_revert(world.as_(a), voting.functions.castVote(id_, True), "already voted")
    expect_revert(
        world.as_(a), voting.functions.castVotesFor(id_, True, [b.address]), "already voted"
    )
    expect_revert(
        world.as_(a),
        voting.functions.castVotesFor(id_, True, [c.address]),
        "not the holder's delegate",
    )
    mine_at(world.s.w3, ends + 1)
    expect_revert(world.as_(b), voting.functions.castVote(id_, True), "voting closed")


def test_holder_overrides_its_delegate_and_late_delegation_does_not_count(world, equity):
    _created, _token, voting = equity
    a, b, c = world.investors[:3]
    world.as_(b).transact(voting.functions.delegate(a.address))
    id_, record, _ = propose(world, voting)
    mine_at(world.s.w3, record + 1)
    # c delegates after the record time: too late for this proposal
    world.as_(c).transact(voting.functions.delegate(a.address))
    expect_revert(
        world.as_(a),
        voting.functions.castVotesFor(id_, True, [c.address]),
        "not the holder's delegate",
    )
    world.as_(b).transact(voting.functions.castVote(id_, False))  # b votes itself first
    expect_revert(
        world.as_(a), voting.functions.castVotesFor(id_, True, [b.address]), "already voted"
    )
    expect_revert(
        world.as_(world.outsider), voting.functions.castVote(id_, True), "no voting power"
    )
    expect_revert(
        world.as_(world.outsider),
        voting.functions.propose(TOPIC, world.now + DAY, world.now + 2 * DAY),
        "caller lacks role",
    )
