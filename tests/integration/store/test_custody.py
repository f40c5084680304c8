import pytest
from eth_account import Account
from eth_account.messages import encode_defunct
from sqlalchemy import Engine, update

from rwakit.chain.custody import Custody, CustodyKeyError, UnknownWalletError
from rwakit.store.tables import custodial_wallets
from rwakit.store.wallets import WalletStore

KEK = bytes(range(32))


@pytest.fixture
def custody(engine: Engine) -> Custody:
    return Custody(WalletStore(engine), KEK)


def test_a_created_wallet_signs_as_its_address(custody: Custody, engine: Engine) -> None:
    address = custody.create_wallet("investor-1")
    signer = custody.signer_for("investor-1")
    assert signer.address == address
    message = encode_defunct(text="hello")
    assert Account.recover_message(message, signature=signer.sign_message(message).signature) == (
        address
    )
    # A fresh process (empty cache) opens the same key from the database.
    assert Custody(WalletStore(engine), KEK).signer_for("investor-1").address == address


def test_creating_twice_keeps_the_first_wallet(custody: Custody) -> None:
    assert custody.create_wallet("investor-1") == custody.create_wallet("investor-1")


def test_the_database_holds_no_plain_key(custody: Custody, engine: Engine) -> None:
    custody.create_wallet("investor-1")
    row = WalletStore(engine).get_by_owner("investor-1")
    assert row is not None
    key = bytes(custody.signer_for("investor-1").key)
    assert key not in row.encrypted_key and key.hex() not in repr(row)
    assert WalletStore(engine).get_by_address(row.address) == row
    assert WalletStore(engine).addresses(["investor-1", "nobody"]) == {"investor-1": row.address}


def test_a_tampered_key_does_not_open(custody: Custody, engine: Engine) -> None:
    custody.create_wallet("investor-1")
    sealed = WalletStore(engine).get_by_owner("investor-1").encrypted_key  # type: ignore[union-attr]
    flipped = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with engine.begin() as conn:
        conn.execute(update(custodial_wallets).values(encrypted_key=flipped))
    with pytest.raises(CustodyKeyError, match="does not decrypt"):
        Custody(WalletStore(engine), KEK).signer_for("investor-1")


def test_a_different_kek_does_not_open(custody: Custody, engine: Engine) -> None:
    custody.create_wallet("investor-1")
    with pytest.raises(CustodyKeyError, match="RWAKIT_WALLET_KEY differs"):
        Custody(WalletStore(engine), bytes(32)).signer_for("investor-1")


def test_unknown_owner_is_a_lookup_error(custody: Custody) -> None:
    with pytest.raises(UnknownWalletError, match="nobody"):
        custody.signer_for("nobody")


def test_signers_by_address_opens_many_wallets_and_leaves_strangers_out(
    custody: Custody, engine: Engine
) -> None:
    addresses = [custody.create_wallet(f"investor-{i}") for i in range(3)]
    stranger = Account.create().address
    wanted = [a.lower() for a in addresses] + [stranger.lower()]
    signers = Custody(WalletStore(engine), KEK).signers_by_address(wanted)
    assert {a: s.address for a, s in signers.items()} == {a.lower(): a for a in addresses}
    assert custody.signers_by_address([]) == {}
