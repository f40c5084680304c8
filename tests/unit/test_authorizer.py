"""The relayer signs each investor's authorizations with consecutive nonces, starting from
the chain's, and goes back to the chain's after a failure."""

from eth_account import Account

from rwakit.chain.typed_signatures import authorization_digest
from rwakit.pipeline.authorizer import Authorizer
from rwakit.pipeline.batch_calls import PendingOp

TOKEN = "0x" + "ab" * 20
DOMAIN = b"\x01" * 32


def transfer(i, owner, to):
    return PendingOp(
        i, "transfer", TOKEN, {"from": owner.address.lower(), "to": to, "amount": 7}, 1
    )


def test_nonces_continue_across_batches_and_restart_from_the_chain():
    alice, bob = Account.create(), Account.create()
    reads = []

    def read_nonces(token, owners):
        reads.append(list(owners))
        return [5 for _ in owners]

    keys = {a.address.lower(): a for a in (alice, bob)}
    signer = Authorizer(lambda wanted: {a: keys[a] for a in wanted}, read_nonces, lambda t: DOMAIN)
    first = signer.sign(
        [transfer(1, alice, bob.address.lower()), transfer(2, alice, bob.address.lower())], now=1000
    )
    second = signer.sign([transfer(3, alice, bob.address.lower())], now=1000)
    nonces = []
    for owner, to, amount, deadline, v, r, s in [*first, *second]:
        for nonce in range(4, 10):
            digest = authorization_digest(DOMAIN, owner, to, amount, nonce, deadline)
            if (
                Account._recover_hash(
                    digest, vrs=(v, int.from_bytes(r, "big"), int.from_bytes(s, "big"))
                )
                == alice.address
            ):
                nonces.append(nonce)
                break
    assert nonces == [5, 6, 7]
    assert reads == [[alice.address.lower()]]
    signer.forget(TOKEN, [alice.address.lower()])
    signer.sign([transfer(4, alice, bob.address.lower())], now=1000)
    assert len(reads) == 2
