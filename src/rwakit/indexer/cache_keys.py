"""Which API cache keys a changed read-model row makes stale."""

from typing import Any


def keys_for_row(table: str, key: tuple[Any, ...]) -> list[str]:
    if table == "tokens":
        return [f"asset:{key[0]}", "assets"]
    if table == "balances":
        return [f"asset:{key[0]}", f"balance:{key[0]}:{key[1]}", f"portfolio:{key[1]}"]
    if table in ("identities", "claims"):
        return [f"identity:{key[0]}"]
    if table == "token_rollups":
        return [f"stats:{key[0]}"]
    if table == "compliance_rules":
        return [f"asset:{key[0]}"]
    return []
