"""Voting: class metadata, delegations, proposals and votes, kept in the event log
(``chain_events``); the class name and votes per share are in ``asset_terms``."""

from rwakit.indexer.handlers.common import record_only

HANDLERS = {
    "ShareClassSet": record_only,
    "DelegateChanged": record_only,
    "ProposalCreated": record_only,
    "VoteCast": record_only,
}
IGNORED: dict[str, str] = {}
PREFETCH: dict = {}
DEDICATED: set[str] = set()
