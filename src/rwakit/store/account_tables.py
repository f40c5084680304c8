"""The HTTP API's accounts (SQLAlchemy Core, on ``tables.metadata``): users, refresh
tokens and API keys. Secrets are never stored: passwords as argon2 hashes, tokens and
keys as SHA-256 digests (they are long random strings, so a fast hash is enough).
"""

from sqlalchemy import JSON, Boolean, Column, Double, ForeignKey, Index, Table, Text

from rwakit.store.tables import BigId, metadata

users = Table(
    "users",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("email", Text, nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("wallet", Text),  # the custodial wallet's address; its key lives in custody
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", Double, nullable=False),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("token_hash", Text, primary_key=True),
    Column("user_id", BigId, ForeignKey("users.id"), nullable=False),
    # Every rotation keeps the family: reuse of a rotated token revokes all of it.
    Column("family", Text, nullable=False),
    Column("issued_at", Double, nullable=False),
    Column("expires_at", Double, nullable=False),
    Column("rotated_at", Double),
    Column("revoked_at", Double),
    Index(None, "family"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("key_hash", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("roles", JSON, nullable=False),
    Column("created_by", BigId, ForeignKey("users.id"), nullable=False),
    Column("created_at", Double, nullable=False),
    Column("revoked_at", Double),
)
