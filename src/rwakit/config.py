"""Runtime configuration: one settings object read from ``RWAKIT_*`` environment variables.

Every default works on a laptop with nothing set: no RPC URL means a managed anvil,
which also supplies the deployer key.
"""

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from rwakit.errors import RwakitError

ENV_PREFIX = "RWAKIT_"

# anvil's first deterministic dev account (address 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266).
# Public knowledge; only ever used against a chain rwakit starts itself.
ANVIL_DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"


class SettingsError(RwakitError):
    """An ``RWAKIT_*`` variable holds a value that cannot be used."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

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

    @model_validator(mode="after")
    def _default_dev_key_on_managed_chain(self) -> "Settings":
        if self.managed_chain and self.deployer_key is None:
            self.deployer_key = SecretStr(ANVIL_DEV_KEY)
        return self

    @property
    def managed_chain(self) -> bool:
        """True when no external node is configured, so rwakit starts its own anvil."""
        return not self.rpc_urls


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
