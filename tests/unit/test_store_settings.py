import os
import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from rwakit.config import Settings, SettingsError


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("RWAKIT_"):
            monkeypatch.delenv(name)


def test_database_defaults_to_sqlite_under_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path}/rwakit.db"
    assert settings.database_pool_size == 20
    assert settings.database_statement_timeout_ms == 5000


def test_database_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RWAKIT_DATABASE_URL", "postgresql://app@db:5432/rwakit")
    monkeypatch.setenv("RWAKIT_DATABASE_POOL_SIZE", "50")
    monkeypatch.setenv("RWAKIT_DATABASE_STATEMENT_TIMEOUT_MS", "0")
    settings = Settings()
    assert settings.database_url == "postgresql://app@db:5432/rwakit"
    assert (settings.database_pool_size, settings.database_statement_timeout_ms) == (50, 0)


def test_wallet_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RWAKIT_WALLET_KEY", "0x" + "7f" * 32)
    settings = Settings()
    assert settings.wallet_kek() == bytes([0x7F]) * 32
    assert "7f7f" not in repr(settings)


@pytest.mark.parametrize("bad", ["abc", "zz" * 32, "00" * 31])
def test_malformed_wallet_key_is_rejected_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch, bad: str
) -> None:
    monkeypatch.setenv("RWAKIT_WALLET_KEY", bad)
    with pytest.raises(ValidationError, match="32 bytes written as 64 hex digits") as caught:
        Settings()
    assert bad not in str(caught.value)


def test_managed_chain_generates_the_wallet_key_once(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path).wallet_kek()
    assert len(first) == 32
    assert Settings(data_dir=tmp_path).wallet_kek() == first  # the next run opens old wallets
    key_file = tmp_path / "wallet.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["wallet.key"]  # no temporary left behind


def test_settings_alone_write_no_files(tmp_path: Path) -> None:
    Settings(data_dir=tmp_path / "state")
    assert not (tmp_path / "state").exists()


def test_external_chain_requires_a_wallet_key(tmp_path: Path) -> None:
    settings = Settings(rpc_urls=["http://node:8545"], data_dir=tmp_path)
    with pytest.raises(SettingsError, match="RWAKIT_WALLET_KEY is not set"):
        settings.wallet_kek()
