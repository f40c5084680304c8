"""The API bench's load-generator pieces without I/O: request encoding and the 70/30 mix."""

from rwakit.bench.api_bench import _interleave
from rwakit.bench.http_load import _percentile, encode_request


def test_requests_are_complete_http_messages() -> None:
    raw = encode_request("POST", "/api/v1/operations", {"X-A": "1"}, b'{"k":1}')
    head, body = raw.split("\r\n\r\n")
    assert head.splitlines() == [
        "POST /api/v1/operations HTTP/1.1",
        "Host: 127.0.0.1",
        "X-A: 1",
        "Content-Length: 7",
    ]
    assert body == '{"k":1}'
    assert encode_request("GET", "/healthz", {}).endswith("\r\n\r\n")


def test_the_mix_is_seventy_thirty_by_request_count() -> None:
    mix = _interleave([("r", "a"), ("r", "b")], [("w", "c")])
    kinds = [kind for kind, _ in mix]
    assert kinds.count("r") / len(kinds) == 0.7


def test_percentiles() -> None:
    values = [float(v) for v in range(1, 101)]
    assert _percentile(values, 0.5) == 51.0
    assert _percentile(values, 0.95) == 96.0
    assert _percentile([], 0.95) == 0.0
