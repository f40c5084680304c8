import os

import pytest
from pydantic import ValidationError

from rwakit.config import ANVIL_DEV_KEY, Settings, SettingsError, get_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("RWAKIT_"):
            monkeypatch.delenv(name)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_defaults_need_no_environment() -> None:
    settings = Settings()
    assert settings.rpc_urls == []
    assert settings.managed_chain
    assert settings.chain_id is None
    assert settings.block_time == 1
    assert settings.gas_limit == 30_000_000
    assert str(settings.data_dir) == ".rwakit"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.anvil_path is None


def test_rpc_urls_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RWAKIT_RPC_URLS", "http://a:8545, https://b.example/rpc ,")
    assert Settings().rpc_urls == ["http://a:8545", "https://b.example/rpc"]
    assert not Settings().managed_chain


def test_rpc_urls_must_be_http(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RWAKIT_RPC_URLS", "ws://a:8545")
    with pytest.raises(ValidationError):
        Settings()


def test_managed_chain_defaults_to_anvil_dev_key() -> None:
    key = Settings().deployer_key
    assert key is not None and key.get_secret_value() == ANVIL_DEV_KEY


def test_external_chain_has_no_default_key() -> None:
    assert Settings(rpc_urls=["http://node:8545"]).deployer_key is None


def test_deployer_key_is_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "0x" + "ab" * 32
    monkeypatch.setenv("RWAKIT_DEPLOYER_KEY", secret)
    settings = Settings()
    assert settings.deployer_key is not None
    assert settings.deployer_key.get_secret_value() == secret
    for shown in (repr(settings), str(settings), settings.model_dump_json()):
        assert secret not in shown


def test_get_settings_is_cached() -> None:
    assert get_settings() is get_settings()


def test_bad_value_is_one_line_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RWAKIT_PORT", "not-a-port")
    with pytest.raises(SettingsError) as caught:
        get_settings()
    message = str(caught.value)
    assert message.startswith("RWAKIT_PORT is invalid")
    assert "\n" not in message


def test_worker_partition_is_i_of_n(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().worker_partition == "0/1"
    monkeypatch.setenv("RWAKIT_WORKER_PARTITION", "1/2")
    assert Settings().worker_partition == "1/2"
    for bad in ("2/2", "1", "x/2", "0/0"):
        monkeypatch.setenv("RWAKIT_WORKER_PARTITION", bad)
        with pytest.raises(ValidationError):
            Settings()
