"""The narrow chain capabilities the pipeline needs, so it can run on an RPC pool or a fake."""

from collections.abc import Callable

# eth_call(to, data) -> return data, at the latest block
EthCall = Callable[[str, bytes], bytes]
