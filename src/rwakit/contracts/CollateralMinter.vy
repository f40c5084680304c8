# pragma version 0.4.3
# pragma optimize gas
# pragma experimental-codegen
"""
@title Stablecoin issuance bounded by attested collateral
@notice The stablecoin's only minter (it holds the token's SUPPLY role). An issuer that
        the identity registry trusts for COLLATERAL_TOPIC attests the collateral held,
        with EIP-712 (domain "rwakit CollateralMinter", version "1"):
            Collateral(address token,uint256 amount,uint256 expiry,uint256 nonce)
        Anyone records a newer attestation (higher nonce). Governance mints only while
        that attestation is unexpired, its issuer is still trusted for the topic, and
        the supply after minting stays within the attested amount; it burns through here
        too (redemptions).
"""

from .lib import payouts
from .lib import signatures

interface TrustList:
    def isTrustedIssuer(issuer: address, topic: bytes32) -> bool: view

event CollateralAttested:
    issuer: indexed(address)
    amount: uint256
    expiry: uint256
    nonce: uint256

event StablecoinMinted:
    total: uint256
    supply: uint256
    collateral: uint256
    caller: indexed(address)

COLLATERAL_TYPEHASH: constant(bytes32) = keccak256("Collateral(address token,uint256 amount,uint256 expiry,uint256 nonce)")
NAME_HASH: constant(bytes32) = keccak256("rwakit CollateralMinter")
VERSION_HASH: constant(bytes32) = keccak256("1")

TOKEN: public(immutable(address))
REGISTRY: public(immutable(address))
COLLATERAL_TOPIC: public(immutable(bytes32))
DOMAIN_SEPARATOR: immutable(bytes32)
DEPLOY_CHAIN_ID: immutable(uint256)

collateral: public(uint256)
collateral_expiry: public(uint256)
collateral_issuer: public(address)
collateral_nonce: public(uint256)


@deploy
def __init__(token: address, registry: address, collateral_topic: bytes32):
    assert token != empty(address) and registry != empty(address), "zero address"
    assert collateral_topic != empty(bytes32), "collateral topic required"
    TOKEN = token
    REGISTRY = registry
    COLLATERAL_TOPIC = collateral_topic
    DEPLOY_CHAIN_ID = chain.id
    DOMAIN_SEPARATOR = signatures.domain_separator(NAME_HASH, VERSION_HASH)


@internal
@view
def _domain() -> bytes32:
    if chain.id == DEPLOY_CHAIN_ID:
        return DOMAIN_SEPARATOR
    return signatures.domain_separator(NAME_HASH, VERSION_HASH)


@external
@view
def domainSeparator() -> bytes32:
    return self._domain()


@external
def attest(amount: uint256, expiry: uint256, nonce: uint256, v: uint8, r: bytes32, s: bytes32):
    assert expiry > block.timestamp, "collateral claim expired"
    assert nonce > self.collateral_nonce, "attestation not newer"
    struct_hash: bytes32 = keccak256(abi_encode(COLLATERAL_TYPEHASH, TOKEN, amount, expiry, nonce))
    issuer: address = signatures.recover(signatures.digest(self._domain(), struct_hash), v, r, s)
    assert issuer != empty(address) and staticcall TrustList(REGISTRY).isTrustedIssuer(issuer, COLLATERAL_TOPIC), "issuer not trusted for collateral"
    self.collateral = amount
    self.collateral_expiry = expiry
    self.collateral_issuer = issuer
    self.collateral_nonce = nonce
    log CollateralAttested(issuer=issuer, amount=amount, expiry=expiry, nonce=nonce)


@external
@view
def mintable() -> uint256:
    """What may be minted now (0 without a valid attestation)."""
    if block.timestamp >= self.collateral_expiry:
        return 0
    if not staticcall TrustList(REGISTRY).isTrustedIssuer(self.collateral_issuer, COLLATERAL_TOPIC):
        return 0
    supply: uint256 = staticcall payouts.AssetToken(TOKEN).totalSupply()
    return self.collateral - min(self.collateral, supply)


@external
def mint(receivers: DynArray[address, payouts.MAX_BATCH], amounts: DynArray[uint256, payouts.MAX_BATCH]):
    payouts.require_role(TOKEN, payouts.ROLE_GOVERNANCE)
    assert block.timestamp < self.collateral_expiry, "collateral claim expired"
    assert staticcall TrustList(REGISTRY).isTrustedIssuer(self.collateral_issuer, COLLATERAL_TOPIC), "collateral issuer no longer trusted"
    total: uint256 = 0
    for a: uint256 in amounts:
        total += a
    supply: uint256 = staticcall payouts.AssetToken(TOKEN).totalSupply() + total
    assert supply <= self.collateral, "mint exceeds proven collateral"
    extcall payouts.AssetToken(TOKEN).batchMint(receivers, amounts)
    log StablecoinMinted(total=total, supply=supply, collateral=self.collateral, caller=msg.sender)


@external
def burn(account: address, amount: uint256):
    """Redemptions: governance burns through the only SUPPLY holder."""
    payouts.require_role(TOKEN, payouts.ROLE_GOVERNANCE)
    extcall payouts.AssetToken(TOKEN).burn(account, amount)
