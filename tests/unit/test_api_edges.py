"""Edge helpers of the API without I/O: client IP, problem field names, amounts, tokens."""

import time

import pytest

from rwakit.api.client_ip import ClientIpResolver
from rwakit.api.credentials import AccessClaims, AccessTokens, Passwords
from rwakit.api.operation_input import smallest_units
from rwakit.api.problems import Problem, field_name
from rwakit.api.rate_limits import RateDecision
from rwakit.domain.operation_requests import OperationInvalid


def test_forwarded_for_only_from_trusted_proxies() -> None:
    resolver = ClientIpResolver(["10.0.0.0/8", "::1"])
    assert resolver.resolve("10.0.0.1", "203.0.113.5") == "203.0.113.5"
    assert resolver.resolve("10.0.0.1", "6.6.6.6, 203.0.113.5, 10.9.9.9") == "203.0.113.5"
    assert resolver.resolve("192.0.2.1", "203.0.113.5") == "192.0.2.1"
    assert resolver.resolve("10.0.0.1", None) == "10.0.0.1"
    assert resolver.resolve(None, "203.0.113.5") == "unknown"
    with pytest.raises(ValueError, match="RWAKIT_TRUSTED_PROXIES"):
        ClientIpResolver(["not-a-network"])


def test_field_names_from_validation_locations() -> None:
    assert field_name(("body", "operations", 3, "params", "amount")) == (
        "operations[3].params.amount"
    )
    assert field_name(("path", "address")) == "address"
    assert field_name(("body",)) == "request"


@pytest.mark.parametrize(
    ("text", "decimals", "units"),
    [("1", 0, 1), ("1.5", 6, 1_500_000), ("0.000001", 6, 1), ("12", 18, 12 * 10**18)],
)
def test_decimal_strings_become_smallest_units(text: str, decimals: int, units: int) -> None:
    assert smallest_units("amount", text, decimals) == units


@pytest.mark.parametrize("bad", ["-1", "0", "1.0000001", "abc", "NaN", "Infinity", 5, None, ""])
def test_bad_amounts_name_the_field(bad: object) -> None:
    with pytest.raises(OperationInvalid) as caught:
        smallest_units("params.amount", bad, 6)
    assert caught.value.field == "params.amount"


def test_rate_decision_headers() -> None:
    assert RateDecision(True, 100, 7, 30).headers() == {
        "RateLimit-Limit": "100",
        "RateLimit-Remaining": "7",
        "RateLimit-Reset": "30",
    }
    assert RateDecision(False, 100, 0, 12).headers()["Retry-After"] == "12"


def test_access_tokens_round_trip_and_refuse_others() -> None:
    tokens = AccessTokens(b"s" * 32)
    claims = AccessClaims(7, "issuer", "0xabc")
    assert tokens.verify(tokens.issue(claims)) == claims
    assert "s" * 32 not in repr(tokens)
    with pytest.raises(Problem) as expired:
        tokens.verify(tokens.issue(claims, now=time.time() - 901))
    assert expired.value.code == "token_expired"
    with pytest.raises(Problem) as foreign:
        tokens.verify(AccessTokens(b"t" * 32).issue(claims))
    assert foreign.value.code == "token_invalid"


def test_passwords_verify_and_refuse() -> None:
    from argon2 import PasswordHasher

    passwords = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    stored = passwords.hash("hunter2hunter2")
    assert stored.startswith("$argon2id$")
    assert passwords.verify(stored, "hunter2hunter2")
    assert not passwords.verify(stored, "wrong")
    assert not passwords.verify(None, "hunter2hunter2")
    assert not passwords.verify("not a hash", "x")
