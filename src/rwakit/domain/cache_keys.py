"""The names both sides of cache invalidation must agree on: the keys the API caches
answers under and the indexer publishes when rows change, and the channel they travel on.
Addresses go in lower-case, whatever case they come in."""

INVALIDATION_CHANNEL = "rwakit:invalidations"
ASSET_LIST_KEY = "assets"


def asset_key(token: str) -> str:
    return f"asset:{token.lower()}"


def balance_key(token: str, holder: str) -> str:
    return f"balance:{token.lower()}:{holder.lower()}"


def portfolio_key(holder: str) -> str:
    return f"portfolio:{holder.lower()}"


def identity_key(wallet: str) -> str:
    return f"identity:{wallet.lower()}"


def stats_key(token: str) -> str:
    return f"stats:{token.lower()}"
