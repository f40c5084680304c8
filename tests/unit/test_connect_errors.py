import pytest

from rwakit.chain.connect import connect
from rwakit.chain.errors import ChainError
from rwakit.config import Settings
from tests.closed_port import closed_port


def test_node_that_does_not_answer() -> None:
    with closed_port() as port:
        url = f"http://127.0.0.1:{port}"
        with pytest.raises(ChainError) as caught:
            connect(Settings(rpc_urls=[url]))
    assert str(caught.value) == (
        f"no node answers at {url} — start one with `rwakit chain` or fix RWAKIT_RPC_URLS"
    )


def test_every_url_is_named_when_none_answers() -> None:
    with closed_port() as first, closed_port() as second:
        urls = [f"http://127.0.0.1:{first}", f"http://127.0.0.1:{second}"]
        with pytest.raises(ChainError, match=", ".join(urls)):
            connect(Settings(rpc_urls=urls))


def test_no_url_configured() -> None:
    with pytest.raises(ChainError, match="RWAKIT_RPC_URLS is not set"):
        connect(Settings())
