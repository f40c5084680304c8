import threading

import pytest
from sqlalchemy import Engine

from rwakit.store.nonces import NonceStore, UnknownSignerError
from tests.integration.store.helpers import SIGNER


def test_reserve_hands_out_consecutive_nonces(engine: Engine) -> None:
    nonces = NonceStore(engine)
    assert nonces.peek(SIGNER) is None
    nonces.set_next(SIGNER, 41)
    assert [nonces.reserve(SIGNER), nonces.reserve(SIGNER)] == [41, 42]
    assert nonces.reserve(SIGNER, count=3) == 43  # 43, 44, 45
    assert nonces.peek(SIGNER) == 46
    nonces.set_next(SIGNER, 10)  # reconciled with the chain after a restart
    assert nonces.reserve(SIGNER) == 10


def test_reserve_needs_the_chain_nonce_first(engine: Engine) -> None:
    with pytest.raises(UnknownSignerError, match="call set_next"):
        NonceStore(engine).reserve(SIGNER)


def test_reserve_is_atomic_across_threads(engine: Engine) -> None:
    NonceStore(engine).set_next(SIGNER, 0)
    per_thread = 40
    taken: list[list[int]] = [[], []]

    def reserve_many(into: list[int]) -> None:
        nonces = NonceStore(engine)
        for _ in range(per_thread):
            into.append(nonces.reserve(SIGNER))

    threads = [threading.Thread(target=reserve_many, args=(bucket,)) for bucket in taken]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = taken[0] + taken[1]
    assert sorted(every) == list(range(2 * per_thread))  # no duplicates, no gaps


def test_bad_nonce_input_is_a_clear_error(engine: Engine) -> None:
    nonces = NonceStore(engine)
    with pytest.raises(ValueError, match="nonce must be a non-negative integer"):
        nonces.set_next(SIGNER, -1)
    with pytest.raises(ValueError, match="nonce count must be a positive integer"):
        nonces.reserve(SIGNER, count=0)
