import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from rwakit.store.batches import BatchState, BatchStore
from tests.integration.store.helpers import SIGNER, signed_batch


@pytest.fixture
def store(engine: Engine) -> BatchStore:
    return BatchStore(engine)


def test_signed_sent_mined_confirmed(store: BatchStore) -> None:
    batch_id = store.record_signed(signed_batch(4), now=1.0)
    recorded = store.get(batch_id)
    assert recorded is not None and recorded.state is BatchState.SIGNED
    assert recorded.raw_tx == signed_batch(4).raw_tx and recorded.nonce == 4
    assert store.mark_sent(batch_id, now=2.0)
    assert store.mark_mined(batch_id, block_number=12, gas_used=90_000, now=3.0)
    assert store.mark_confirmed(batch_id)
    done = store.get(batch_id)
    assert done is not None and done.state is BatchState.CONFIRMED
    assert (done.created_at, done.sent_at, done.mined_at) == (1.0, 2.0, 3.0)
    assert (done.block_number, done.gas_used) == (12, 90_000)


def test_unfinished_lists_what_crash_recovery_resumes_by_nonce(store: BatchStore) -> None:
    confirmed = store.record_signed(signed_batch(1), now=1.0)
    store.mark_sent(confirmed, now=1.0)
    store.mark_mined(confirmed, 5, 1, now=1.0)
    store.mark_confirmed(confirmed)
    sent = store.record_signed(signed_batch(3), now=1.0)
    store.mark_sent(sent, now=1.0)
    signed = store.record_signed(signed_batch(2), now=1.0)
    replaced = store.record_signed(signed_batch(4), now=1.0)
    store.mark_replaced(replaced)
    other_signer = store.record_signed(signed_batch(2, signer="0x" + "dd" * 20), now=1.0)
    assert [b.id for b in store.unfinished(SIGNER)] == [signed, sent]
    assert [b.id for b in store.unfinished("0x" + "dd" * 20)] == [other_signer]


def test_a_replacement_shares_the_nonce_but_not_the_hash(store: BatchStore) -> None:
    store.record_signed(signed_batch(7, tx_hash="0x01"))
    store.record_signed(signed_batch(7, tx_hash="0x02"))  # re-priced: same nonce, new hash
    with pytest.raises(IntegrityError):
        store.record_signed(signed_batch(7, tx_hash="0x02"))


def test_state_changes_apply_only_in_order(store: BatchStore) -> None:
    batch_id = store.record_signed(signed_batch(0))
    assert not store.mark_confirmed(batch_id)  # not mined yet
    assert store.mark_failed(batch_id)
    assert not store.mark_sent(batch_id, now=1.0)
    assert store.get(batch_id).state is BatchState.FAILED  # type: ignore[union-attr]


def test_bad_batches_are_clear_errors(store: BatchStore) -> None:
    with pytest.raises(ValueError, match="signer '0xnope' is not a 0x-prefixed 20-byte address"):
        store.record_signed(signed_batch(0, signer="0xnope"))
    with pytest.raises(ValueError, match="nonce must be a non-negative integer"):
        store.record_signed(signed_batch(-1))
    with pytest.raises(ValueError, match="batch ids are positive integers"):
        store.mark_sent(-3, now=1.0)
