"""Every event type, logged by real contracts on anvil, lands in the read model as the
contracts' own state says."""

from sqlalchemy import select

from rwakit.domain.topics import topic_id
from rwakit.indexer.handlers import identity_registry, security_token, token_factory
from rwakit.store.read_model_tables import (
    balances,
    chain_events,
    claim_topics,
    claims,
    compliance_rules,
    identities,
    role_grants,
    tokens,
    transfers,
    trusted_issuers,
)
from tests.integration.indexer.activity import UNIT, every_event


def rows(engine, table, *where):
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(table).where(*where)).mappings()]


def test_every_event_type_is_applied(chain) -> None:
    people = every_event(chain.scenario)
    chain.catch_up()
    engine, token = chain.engine, chain.scenario.token_address.lower()
    seen = {r["name"] for r in rows(engine, chain_events)}
    if rows(engine, transfers):
        seen.add("Transfer")
    handled = (
        set(identity_registry.HANDLERS) | set(security_token.HANDLERS) | set(token_factory.HANDLERS)
    )
    assert handled - seen == set()
    assert "Approval" not in seen  # explicitly ignored

    fn = chain.scenario.token.functions
    [row] = rows(engine, tokens)
    assert (row["address"], row["symbol"], row["asset_type"], row["decimals"]) == (
        token,
        "BBND",
        "bond",
        fn.decimals().call(),
    )
    assert row["system"] == chain.scenario.contracts.deployment.registry.lower()
    assert row["total_supply"] == fn.totalSupply().call() == 297 * UNIT
    assert row["holder_count"] == fn.holderCount().call()
    assert row["paused"] is fn.paused().call()
    for r in rows(engine, balances):
        holder = chain.w3.to_checksum_address(r["holder"])
        assert r["balance"] == fn.balanceOf(holder).call(), r
        assert r["frozen_amount"] == fn.getFrozenTokens(holder).call(), r
        assert r["frozen"] is fn.isFrozen(holder).call(), r
    kinds = sorted(r["kind"] for r in rows(engine, transfers))
    assert kinds == ["burn", "mint", "mint", "mint", "transfer", "transfer"]

    registry = chain.scenario.contracts.registry.functions
    by_wallet = {r["wallet"]: r for r in rows(engine, identities)}
    assert people["gone"].address.lower() not in by_wallet
    assert people["lost"].address.lower() not in by_wallet
    for address, r in by_wallet.items():
        identity_id, country, status = registry.identity(
            chain.w3.to_checksum_address(address)
        ).call()
        assert (r["identity_id"], r["country"], r["status"]) == (identity_id, country, status)
    c = people["c"].address.lower()
    assert by_wallet[c]["country"] == 826
    claim_topics_of_c = {r["topic"] for r in rows(engine, claims, claims.c.wallet == c)}
    assert claim_topics_of_c == {"0x" + topic_id("KYC").hex()}
    new = people["new"].address.lower()
    assert len(rows(engine, claims, claims.c.wallet == new)) == 2  # moved with the identity
    assert {r["name"] for r in rows(engine, claim_topics)} >= {"INDEXER_TEST"}
    issuers = {(r["issuer"], r["topic"]) for r in rows(engine, trusted_issuers)}
    assert (chain.scenario.issuer.address.lower(), "0x" + topic_id("AML").hex()) in issuers

    rules = {
        (r["contract"], r["kind"], r["subject"]): r["value"] for r in rows(engine, compliance_rules)
    }
    assert rules[(token, "country_rule", "2:124")] is True
    assert rules[(token, "country_holder_cap", "840")] == "1000"
    assert rules[(token, "blocked_address", c)] is True
    assert len(rules[(token, "identity_expression", "")]) == 3
    registry_address = chain.scenario.contracts.deployment.registry.lower()
    assert rules[(registry_address, "global_country_block", "408")] is True

    grants = {(r["contract"], r["account"], r["role"]) for r in rows(engine, role_grants)}
    assert (token, c, 8) in grants and (token, c, 32) not in grants
    assert not any(account == people["b"].address.lower() for _, account, _ in grants)
