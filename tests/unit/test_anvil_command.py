from pathlib import Path

import pytest

from rwakit.chain.anvil import ManagedAnvil, find_anvil
from rwakit.chain.errors import ChainError
from rwakit.config import Settings


def test_override_that_does_not_exist_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ChainError, match="RWAKIT_ANVIL_PATH"):
        find_anvil(tmp_path / "no-such-anvil")


def test_override_wins(tmp_path: Path) -> None:
    binary = tmp_path / "anvil"
    binary.write_text("#!/bin/sh\n")
    assert find_anvil(binary) == binary


def test_pinned_npm_binary_is_found_without_override() -> None:
    assert find_anvil().name == "anvil"


def test_block_time_zero_means_automine() -> None:
    args = ManagedAnvil(block_time=0).command(port=1234)
    assert "--block-time" not in args
    assert args[args.index("--host") + 1] == "127.0.0.1"
    assert args[args.index("--port") + 1] == "1234"
    assert "--silent" in args


def test_command_carries_settings_and_extra_args() -> None:
    settings = Settings(block_time=0.5, gas_limit=123, chain_id=77)
    args = ManagedAnvil.from_settings(settings, extra_args=["--hardfork", "prague"]).command(9)
    assert args[args.index("--block-time") + 1] == "0.5"
    assert args[args.index("--gas-limit") + 1] == "123"
    assert args[args.index("--chain-id") + 1] == "77"
    assert args[-2:] == ["--hardfork", "prague"]


def test_url_before_start_is_an_error() -> None:
    with pytest.raises(ChainError):
        _ = ManagedAnvil().url
