import pytest

from rwakit.chain.custody import CustodyKeyError, decrypt_key, encrypt_key

KEK = bytes(range(32))
KEY = bytes.fromhex("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
ADDRESS = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"  # KEY's address


def test_round_trip() -> None:
    sealed = encrypt_key(KEK, KEY, ADDRESS)
    assert KEY not in sealed
    assert decrypt_key(KEK, sealed, ADDRESS) == KEY
    assert decrypt_key(KEK, sealed, ADDRESS.lower()) == KEY  # any spelling of the address


def test_each_sealing_is_different() -> None:
    assert encrypt_key(KEK, KEY, ADDRESS) != encrypt_key(KEK, KEY, ADDRESS)  # fresh nonce


@pytest.mark.parametrize("position", [0, 1, 13, -1])
def test_tampering_is_detected(position: int) -> None:
    sealed = bytearray(encrypt_key(KEK, KEY, ADDRESS))
    sealed[position] ^= 0x01
    with pytest.raises(CustodyKeyError):
        decrypt_key(KEK, bytes(sealed), ADDRESS)


def test_wrong_kek_is_detected() -> None:
    sealed = encrypt_key(KEK, KEY, ADDRESS)
    with pytest.raises(CustodyKeyError, match="RWAKIT_WALLET_KEY differs"):
        decrypt_key(bytes(32), sealed, ADDRESS)


def test_a_key_moved_to_another_address_is_detected() -> None:
    sealed = encrypt_key(KEK, KEY, ADDRESS)
    with pytest.raises(CustodyKeyError):
        decrypt_key(KEK, sealed, "0x" + "11" * 20)


def test_truncated_ciphertext_is_detected() -> None:
    with pytest.raises(CustodyKeyError, match="not in a known format"):
        decrypt_key(KEK, b"\x01short", ADDRESS)


def test_kek_must_be_32_bytes() -> None:
    with pytest.raises(ValueError, match="must be 32 bytes"):
        encrypt_key(b"too short", KEY, ADDRESS)
