"""The HTTP API's accounts (SQLAlchemy Core, on ``tables.metadata``): filled by the API
change."""
