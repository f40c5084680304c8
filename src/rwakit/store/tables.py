"""The write path's tables (SQLAlchemy Core), portable between SQLite and PostgreSQL.

Times are float epoch seconds: cheap to compare and the same on both databases.
States and priorities are small integers; their names live in ``rwakit.domain.operations``
and ``rwakit.store.batches``.
"""

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    Table,
    Text,
    UniqueConstraint,
)

# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")

# Stable constraint names, so migrations can refer to them on both databases.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

batches = Table(
    "batches",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("signer", Text, nullable=False),
    Column("nonce", BigInteger, nullable=False),
    Column("contract", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("op_count", Integer, nullable=False),
    Column("tx_hash", Text, nullable=False),
    # Kept so a restarted worker can re-broadcast exactly what it signed.
    Column("raw_tx", LargeBinary, nullable=False),
    Column("gas_limit", BigInteger, nullable=False),
    # Wei per gas; a bigint holds up to ~9.2 ETH per gas, far above any real fee.
    Column("max_fee_per_gas", BigInteger, nullable=False),
    Column("max_priority_fee_per_gas", BigInteger, nullable=False),
    Column("state", SmallInteger, nullable=False),
    Column("created_at", Double, nullable=False),
    Column("sent_at", Double),
    Column("mined_at", Double),
    Column("block_number", BigInteger),
    Column("gas_used", BigInteger),
    UniqueConstraint("signer", "nonce", "tx_hash"),
    Index(None, "signer", "state"),
    Index(None, "tx_hash"),
)

operations = Table(
    "operations",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("idempotency_key", Text, unique=True),
    Column("kind", Text, nullable=False),
    Column("contract", Text, nullable=False),
    Column("params", JSON, nullable=False),
    Column("requester", Text, nullable=False),
    Column("priority", SmallInteger, nullable=False),
    Column("state", SmallInteger, nullable=False),
    Column("reason_code", Text),
    Column("reason_message", Text),
    Column("accepted_at", Double, nullable=False),
    Column("submitted_at", Double),
    Column("confirmed_at", Double),
    Column("indexed_at", Double),
    Column("failed_at", Double),
    Column("batch_id", BigInteger, ForeignKey("batches.id")),
    Column("tx_hash", Text),
    Column("block_number", BigInteger),
    Column("gas_used", BigInteger),  # this operation's share of its transaction's gas
    # what a confirmed operation made, for its requester: a creation's token and companions
    Column("result", JSON),
)

# The batcher's pick-up: only accepted rows, so the index stays as small as the backlog.
pickup_index = Index(
    "ix_operations_pickup",
    operations.c.state,
    operations.c.contract,
    operations.c.kind,
    operations.c.priority,
    operations.c.id,
    postgresql_where=operations.c.state == 0,
    sqlite_where=operations.c.state == 0,
)
Index(None, operations.c.batch_id)

signer_nonces = Table(
    "signer_nonces",
    metadata,
    Column("signer", Text, primary_key=True),
    Column("next_nonce", BigInteger, nullable=False),
)

leases = Table(
    "leases",
    metadata,
    Column("name", Text, primary_key=True),
    Column("holder", Text, nullable=False),
    Column("expires_at", Double, nullable=False),
    Column("heartbeat_at", Double, nullable=False),
)

custodial_wallets = Table(
    "custodial_wallets",
    metadata,
    Column("owner", Text, primary_key=True),  # a user id or label
    Column("address", Text, nullable=False, unique=True),
    Column("encrypted_key", LargeBinary, nullable=False),
    Column("created_at", Double, nullable=False),
)
