"""Custodial investor wallets: keys made here, kept encrypted at rest, decrypted to sign.

Keys are sealed with AES-256-GCM under the key-encryption key (``RWAKIT_WALLET_KEY``), with
the wallet's address as associated data: a sealed key moved to another row, altered, or
opened with another KEK fails instead of yielding a wrong key. Keys are never logged or
returned; only ``LocalAccount`` objects (which sign in-process) leave this module.
"""

import os
import threading
from collections import OrderedDict
from collections.abc import Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address

from rwakit.errors import RwakitError
from rwakit.store.wallets import WalletRow, WalletStore

KEK_BYTES = 32
_FORMAT_V1 = b"\x01"  # leading version byte, so a future KEK rotation can tell formats apart
_NONCE_BYTES = 12


class CustodyKeyError(RwakitError):
    """A custodial key does not decrypt: the KEK is wrong or the stored key was altered."""


class UnknownWalletError(LookupError):
    """No custodial wallet is recorded for the owner."""


def _cipher(kek: bytes) -> AESGCM:
    if not isinstance(kek, bytes) or len(kek) != KEK_BYTES:
        raise ValueError(f"the wallet key-encryption key must be {KEK_BYTES} bytes")
    return AESGCM(kek)


def _associated_data(address: str) -> bytes:
    return bytes.fromhex(to_checksum_address(address)[2:])


def encrypt_key(kek: bytes, private_key: bytes, address: str) -> bytes:
    """``private_key`` sealed for storage beside ``address``."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _cipher(kek).encrypt(nonce, private_key, _associated_data(address))
    return _FORMAT_V1 + nonce + sealed


def decrypt_key(kek: bytes, encrypted: bytes, address: str) -> bytes:
    """The private key sealed by ``encrypt_key`` for ``address``; ``CustodyKeyError`` if not."""
    cipher = _cipher(kek)
    if encrypted[:1] != _FORMAT_V1 or len(encrypted) <= 1 + _NONCE_BYTES:
        raise CustodyKeyError(f"custodial key of {address} is not in a known format")
    nonce, sealed = encrypted[1 : 1 + _NONCE_BYTES], encrypted[1 + _NONCE_BYTES :]
    try:
        return cipher.decrypt(nonce, sealed, _associated_data(address))
    except InvalidTag:
        raise CustodyKeyError(
            f"custodial key of {address} does not decrypt — RWAKIT_WALLET_KEY differs from "
            "the one it was stored with, or the stored key was altered"
        ) from None


class Custody:
    """Creates custodial wallets and hands out their signers.

    Decrypted accounts stay in a bounded in-process LRU, so a busy relayer does not pay
    AES and key derivation on every authorization it signs.
    """

    def __init__(self, wallets: WalletStore, kek: bytes, cache_size: int = 1024) -> None:
        _cipher(kek)  # fail at start-up, not at the first signature
        if cache_size < 1:
            raise ValueError(f"custody cache size must be at least 1, got {cache_size}")
        self._wallets = wallets
        self._kek = kek
        self._cache_size = cache_size
        self._cache: OrderedDict[str, LocalAccount] = OrderedDict()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Custody(cached={len(self._cache)})"

    def create_wallet(self, owner: str) -> str:
        """A new wallet for ``owner`` (or the one it already has); returns its address."""
        account = Account.create()
        sealed = encrypt_key(self._kek, bytes(account.key), account.address)
        return self._wallets.create(owner, account.address, sealed)

    def signer_for(self, owner: str) -> LocalAccount:
        with self._lock:
            cached = self._cache.get(owner)
            if cached is not None:
                self._cache.move_to_end(owner)
                return cached
        row = self._wallets.get_by_owner(owner)
        if row is None:
            raise UnknownWalletError(f"no custodial wallet for owner {owner!r}")
        return self._open(row)

    def signers_by_address(self, addresses: Iterable[str]) -> dict[str, LocalAccount]:
        """Signers of the custodial wallets among ``addresses``, keyed by lower-case address,
        from one query; addresses without a custodial wallet are left out."""
        rows = self._wallets.get_many_by_address(addresses)
        return {row.address.lower(): self._open(row) for row in rows}

    def _open(self, row: WalletRow) -> LocalAccount:
        account = Account.from_key(decrypt_key(self._kek, row.encrypted_key, row.address))
        if account.address.lower() != row.address.lower():
            raise CustodyKeyError(f"custodial key of {row.address} belongs to another address")
        with self._lock:
            self._cache[row.owner] = account
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return account
