"""Deployment-wide contracts made outside any factory (Settlement, Airdrop), which the
indexer cannot discover from creation events: named in ``RWAKIT_INDEXER_CONTRACTS``."""

import re

KINDS = ("Settlement", "Airdrop")
_ENTRY = re.compile(r"^(?P<kind>\w+)=(?P<address>0x[0-9a-fA-F]{40})$")


def parse_followed(text: str) -> dict[str, str]:
    """``"Settlement=0x…,Airdrop=0x…"`` → {address (lower-case): kind}."""
    found: dict[str, str] = {}
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        match = _ENTRY.match(entry)
        if match is None or match["kind"] not in KINDS:
            raise ValueError(
                f"{entry!r} is not Kind=0x<40 hex digits> with Kind one of {', '.join(KINDS)}"
            )
        found[match["address"].lower()] = match["kind"]
    return found
