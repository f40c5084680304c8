"""What ``POST /assets`` needs of the chain before it stores a `create_asset` operation:
which factory makes an asset type, and a bond denomination's decimals (to convert its face
value). Nothing here sends a transaction: the batch worker does, with its signer, which
becomes the token's admin.

A deposit token comes from the TokenFactory alone; a bond, equity class, fund or
stablecoin comes with its companion contracts from the AssetFactory, so those need one
in the deployment."""

from dataclasses import dataclass
from typing import Protocol

from web3 import Web3
from web3.exceptions import Web3Exception

from rwakit.domain.asset_types import AssetType


class AssetFactoryMissing(RuntimeError):
    """The AssetFactory is needed for this type and none is configured."""


class AssetIssuer(Protocol):
    def factory_for(self, asset_type: AssetType) -> str:
        """The factory that creates ``asset_type``; AssetFactoryMissing if there is none."""
        ...

    def decimals_of(self, erc20: str) -> int:
        """An ERC-20's decimals (a bond's denomination); LookupError if it has none."""
        ...


_DECIMALS_ABI = [
    {
        "name": "decimals",
        "type": "function",
        "stateMutability": "view",
        "inputs": [],
        "outputs": [{"name": "", "type": "uint8"}],
    }
]


@dataclass(frozen=True)
class DeploymentFactories:
    """The ``AssetIssuer`` of one deployment: its two factories, read over ``w3``."""

    w3: Web3
    token_factory: str
    asset_factory: str | None

    def factory_for(self, asset_type: AssetType) -> str:
        if asset_type is AssetType.DEPOSIT:
            return self.token_factory.lower()
        if not self.asset_factory:
            raise AssetFactoryMissing(asset_type.value)
        return self.asset_factory.lower()

    def decimals_of(self, erc20: str) -> int:
        token = self.w3.eth.contract(address=Web3.to_checksum_address(erc20), abi=_DECIMALS_ABI)
        try:
            return int(token.functions.decimals().call())
        except (Web3Exception, ValueError):
            raise LookupError(erc20) from None
