"""Deterministic keys derived from a label, for benchmarks, tests and the local demo.

Anyone can derive them, so they only ever belong on a throwaway chain: reproducible runs
are worth more there than secrecy.
"""

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak


def deterministic_key(label: str) -> bytes:
    return keccak(text=label)


def wallet(seed: str, index: int) -> LocalAccount:
    """The ``index``-th wallet of a named group; the same on every run."""
    return Account.from_key(deterministic_key(f"rwakit:{seed}:{index}"))
