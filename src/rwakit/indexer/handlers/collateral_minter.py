"""CollateralMinter: attestations and mints, kept in the event log (supply and balances
come from the token's own transfers)."""

from rwakit.indexer.handlers.common import record_only

HANDLERS = {"CollateralAttested": record_only, "StablecoinMinted": record_only}
IGNORED: dict[str, str] = {}
PREFETCH: dict = {}
DEDICATED: set[str] = set()
