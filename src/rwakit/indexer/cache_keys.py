"""Which API cache keys a changed read-model row makes stale."""

from typing import Any

from rwakit.domain.cache_keys import (
    ASSET_LIST_KEY,
    asset_key,
    balance_key,
    identity_key,
    portfolio_key,
    stats_key,
)


def keys_for_row(table: str, key: tuple[Any, ...]) -> list[str]:
    if table == "tokens":
        return [asset_key(key[0]), ASSET_LIST_KEY]
    if table == "balances":
        return [asset_key(key[0]), balance_key(key[0], key[1]), portfolio_key(key[1])]
    if table in ("identities", "claims"):
        return [identity_key(key[0])]
    if table == "token_rollups":
        return [stats_key(key[0])]
    if table == "compliance_rules":
        return [asset_key(key[0])]
    return []
