"""Runtime configuration: one settings object read from ``RWAKIT_*`` environment variables.

Every default works on a laptop with nothing set: no RPC URL means a managed anvil,
which also supplies the deployer key.
"""

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from rwakit.errors import RwakitError

ENV_PREFIX = "RWAKIT_"

# Size of the key-encryption key of custodial wallets (AES-256).
WALLET_KEY_BYTES = 32
# Where a managed chain keeps its generated wallet key, under data_dir.
WALLET_KEY_FILE = "wallet.key"

# anvil's first deterministic dev account (address 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266).
# Public knowledge; only ever used against a chain rwakit starts itself.
ANVIL_DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"


class SettingsError(RwakitError):
    """An ``RWAKIT_*`` variable holds a value that cannot be used."""


class Settings(BaseSettings):
    # hide_input_in_errors: a rejected value may be a key; errors must never echo it.
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="ignore", hide_input_in_errors=True
    )

    # NoDecode: the env value is a plain comma-separated list, not JSON.
    rpc_urls: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated JSON-RPC URLs; empty means rwakit runs a managed anvil.",
    )
    chain_id: int | None = Field(
        default=None, gt=0, description="Expected chain id; a node on another chain is an error."
    )
    block_time: float = Field(
        default=1.0, ge=0, description="Managed anvil block time in seconds; 0 mines per tx."
    )
    gas_limit: int = Field(default=30_000_000, gt=0, description="Managed anvil block gas limit.")
    data_dir: Path = Field(
        default=Path(".rwakit"), description="Where rwakit keeps local state and build caches."
    )
    host: str = Field(default="127.0.0.1", description="Address the status page listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port of the status page.")
    deployer_key: SecretStr | None = Field(
        default=None,
        description="Private key that deploys contracts; defaults to anvil's first dev account "
        "on a managed chain.",
    )
    anvil_path: Path | None = Field(
        default=None, description="anvil binary to use instead of the one under node_modules."
    )
    database_url: str | None = Field(
        default=None,
        description="postgresql://user@host:5432/db or sqlite:///path.db; defaults to "
        "sqlite:///<data_dir>/rwakit.db.",
    )
    database_pool_size: int = Field(
        default=20, ge=1, description="Connections each process keeps open to the database."
    )
    database_statement_timeout_ms: int = Field(
        default=5000, ge=0, description="PostgreSQL statement timeout in ms; 0 means none."
    )
    wallet_key: SecretStr | None = Field(
        default=None,
        description="Key-encryption key of custodial wallets: 32 bytes as 64 hex digits. "
        "On a managed chain it defaults to one generated once under data_dir.",
    )
    batch_window_ms: int = Field(
        default=200, ge=0, description="How long the worker gathers operations before batching."
    )
    batch_gas_cap: int = Field(
        default=16_777_216, ge=100_000, description="Gas cap per batch transaction (EIP-7825)."
    )
    confirmations: int = Field(
        default=1, ge=1, description="Blocks (including its own) before an operation is confirmed."
    )
    fee_ceiling_gwei: float = Field(
        default=20.0, gt=0, description="Base fee above which deferrable operations wait."
    )
    worker_metrics_port: int = Field(
        default=9101, ge=0, le=65535, description="Where `rwakit worker` serves /metrics; 0: off."
    )
    priority_fee_gwei: float = Field(
        default=0.05, ge=0, description="Tip per gas offered on batch transactions."
    )
    worker_signer_key: SecretStr | None = Field(
        default=None,
        description="Private key `rwakit worker` signs batches with; defaults to the deployer "
        "key. Each worker of a partitioned set needs its own, holding the operator roles.",
    )
    worker_partition: str = Field(
        default="0/1",
        pattern=r"^\d+/[1-9]\d*$",
        description="i/n: this worker batches the contracts of partition i of n (by address "
        "hash); 0/1 takes every contract.",
    )
    redis_url: str | None = Field(
        default=None,
        description="redis://host:6379/0 for the API's cache, rate limits and the change "
        "feed; unset means in-process (one instance only).",
    )
    jwt_secret: SecretStr | None = Field(
        default=None,
        description="Secret that signs API access tokens (at least 32 characters). On a "
        "managed chain it defaults to one generated once under data_dir.",
    )
    api_port: int = Field(
        default=8080, ge=1, le=65535, description="Port `rwakit serve` listens on (RWAKIT_HOST)."
    )
    api_workers: int = Field(default=1, ge=1, description="Worker processes of `rwakit serve`.")
    rate_limit_user: str = Field(
        default="100/minute",
        description="Requests each authenticated caller may make per endpoint, e.g. 100/minute.",
    )
    rate_limit_ip: str = Field(
        default="20/minute", description="Requests per client IP without credentials."
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated proxy IPs or CIDRs whose X-Forwarded-For is believed.",
    )
    cache_ttls: str = Field(
        default="",
        description="Per-key-class cache TTLs in seconds, e.g. asset=300,balance=30 "
        "(classes: asset, identity, balance, portfolio, stats; default 300).",
    )
    cache_max_entries: int = Field(
        default=10_000, ge=1, description="Entries of the in-process cache (LRU) without Redis."
    )
    database_replica_urls: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated read replica URLs; reads go to those within the lag bound.",
    )
    replica_max_lag_s: float = Field(
        default=1.0, ge=0, description="Replication lag above which a replica gets no reads."
    )
    indexer_confirmations: int = Field(
        default=0,
        ge=0,
        description="Blocks the indexer stays behind the head; 0 follows the head (reorgs "
        "are rolled back).",
    )
    indexer_max_reorg_depth: int = Field(
        default=64,
        ge=1,
        description="Deepest reorg the indexer can roll back (recent block hashes and undo "
        "records it keeps).",
    )
    indexer_metrics_port: int = Field(
        default=9102, ge=0, le=65535, description="Where `rwakit indexer` serves /metrics; 0: off."
    )
    indexer_contracts: str = Field(
        default="",
        pattern=r"^$|^(Settlement|Airdrop)=0x[0-9a-fA-F]{40}(,(Settlement|Airdrop)=0x[0-9a-fA-F]{40})*$",
        description="Deployment-wide contracts made outside any factory that `rwakit indexer` "
        "follows, as comma-separated Kind=0xaddress (Kind: Settlement or Airdrop).",
    )

    @field_validator("trusted_proxies", "database_replica_urls", mode="before")
    @classmethod
    def _split_lists(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("worker_partition")
    @classmethod
    def _index_within_count(cls, value: str) -> str:
        index, count = (int(part) for part in value.split("/"))
        if index >= count:
            raise ValueError(f"partition index {index} must be below the count {count}")
        return value

    @field_validator("rpc_urls", mode="before")
    @classmethod
    def _split_urls(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("rpc_urls")
    @classmethod
    def _require_http(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"{url!r} is not an http(s):// URL")
        return urls

    @field_validator("wallet_key")
    @classmethod
    def _require_hex_wallet_key(cls, key: SecretStr | None) -> SecretStr | None:
        if key is not None:
            _wallet_key_bytes(key.get_secret_value())
        return key

    @model_validator(mode="after")
    def _default_dev_key_on_managed_chain(self) -> "Settings":
        if self.managed_chain and self.deployer_key is None:
            self.deployer_key = SecretStr(ANVIL_DEV_KEY)
        return self

    @model_validator(mode="after")
    def _default_sqlite_database(self) -> "Settings":
        if self.database_url is None:
            self.database_url = f"sqlite:///{self.data_dir / 'rwakit.db'}"
        return self

    def wallet_kek(self) -> bytes:
        """The custodial wallets' key-encryption key.

        ``RWAKIT_WALLET_KEY`` when set. On a managed chain, otherwise, a random key generated
        on first use and kept in ``<data_dir>/wallet.key`` (mode 0600), so wallets made
        by one run still open in the next. An external chain requires the variable.
        """
        if self.wallet_key is not None:
            return _wallet_key_bytes(self.wallet_key.get_secret_value())
        if not self.managed_chain:
            raise SettingsError(
                f"{env_name('wallet_key')} is not set — custodial wallets on an external chain "
                "need a key: 64 hex digits, e.g. from `python -c 'import secrets; "
                "print(secrets.token_hex(32))'`"
            )
        path = self.data_dir / WALLET_KEY_FILE
        try:
            return _wallet_key_bytes(stored_secret_hex(path))
        except ValueError:
            raise SettingsError(
                f"{path} does not hold a wallet key ({WALLET_KEY_BYTES * 2} hex digits) — "
                "restore it from a backup; wallets made with it cannot be opened without it"
            ) from None

    @property
    def managed_chain(self) -> bool:
        """True when no external node is configured, so rwakit starts its own anvil."""
        return not self.rpc_urls


def _wallet_key_bytes(value: str) -> bytes:
    digits = value.removeprefix("0x")
    try:
        key = bytes.fromhex(digits)
    except ValueError:
        key = b""
    if len(key) != WALLET_KEY_BYTES:
        raise ValueError(
            f"must be {WALLET_KEY_BYTES} bytes written as {WALLET_KEY_BYTES * 2} hex digits"
        )
    return key


def stored_secret_hex(path: Path) -> str:
    """The hex secret in ``path``, generated there (mode 0600) if the file does not exist.

    Written to a private temporary file, then linked into place: a second process starting
    at the same moment either wins the link or reads the complete winner, never half a file.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(WALLET_KEY_BYTES))
            file.flush()
            os.fsync(file.fileno())  # wallets sealed with it must never outlive the key
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip()


def env_name(field: str) -> str:
    return f"{ENV_PREFIX}{field.upper()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "settings"
        raise SettingsError(
            f"{env_name(field)} is invalid: {first['msg']} — fix or unset it"
        ) from None
