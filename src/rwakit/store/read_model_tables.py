"""The indexer's read model (SQLAlchemy Core, on ``tables.metadata``): filled by the indexer
change."""
