"""The indexer: follows the chain's logs into the read model (DipDup's triad).

``fetcher`` gets raw logs and block headers from the node, ``matcher`` sends each decoded
log to its handler (``handlers/``, one module per contract), and ``index`` owns the cursor,
applies a range in one transaction and rolls back reorged blocks.
"""
