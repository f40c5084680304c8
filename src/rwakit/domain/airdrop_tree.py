"""Merkle trees of airdrop entitlements as Airdrop.vy verifies them: a leaf is
keccak256(keccak256(abi_encode(account, amount))) and a parent hashes its two children
in ascending order, so a proof is just the siblings from leaf to root."""

from dataclasses import dataclass

from eth_abi import encode
from eth_utils import keccak, to_checksum_address


def leaf(account: str, amount: int) -> bytes:
    return keccak(keccak(encode(["address", "uint256"], [to_checksum_address(account), amount])))


def _parent(a: bytes, b: bytes) -> bytes:
    return keccak(a + b) if a < b else keccak(b + a)


@dataclass(frozen=True)
class AirdropTree:
    entitlements: tuple[tuple[str, int], ...]  # (account, amount), accounts distinct

    def _levels(self) -> list[list[bytes]]:
        if not self.entitlements:
            raise ValueError("an airdrop needs at least one entitlement")
        level = [leaf(a, n) for a, n in self.entitlements]
        levels = [level]
        while len(level) > 1:
            # an odd node out moves up unchanged
            level = [
                _parent(level[i], level[i + 1]) if i + 1 < len(level) else level[i]
                for i in range(0, len(level), 2)
            ]
            levels.append(level)
        return levels

    @property
    def root(self) -> bytes:
        return self._levels()[-1][0]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.entitlements)

    def proof(self, index: int) -> list[bytes]:
        proof = []
        for level in self._levels()[:-1]:
            sibling = index ^ 1
            if sibling < len(level):
                proof.append(level[sibling])
            index //= 2
        return proof
