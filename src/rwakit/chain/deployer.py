"""The account that deploys and operates rwakit's contracts, from RWAKIT_DEPLOYER_KEY."""

from web3 import Web3

from rwakit.chain.transactor import Transactor
from rwakit.config import Settings
from rwakit.errors import RwakitError


class DeployerKeyError(RwakitError):
    """RWAKIT_DEPLOYER_KEY is missing or not a private key (the key itself is never shown)."""


def deployer(settings: Settings, w3: Web3) -> Transactor:
    if settings.deployer_key is None:
        raise DeployerKeyError(
            "RWAKIT_DEPLOYER_KEY is not set — set it to the private key of a funded account "
            f"on chain {w3.eth.chain_id}"
        )
    try:
        return Transactor.from_key(w3, settings.deployer_key.get_secret_value())
    except (ValueError, TypeError):
        # eth-account's message may quote the value; ours must not
        raise DeployerKeyError(
            "RWAKIT_DEPLOYER_KEY is not a valid private key — set it to 32 bytes of hex (0x…)"
        ) from None


def worker_signer(settings: Settings, w3: Web3) -> Transactor:
    """The account `rwakit worker` signs batches with: RWAKIT_WORKER_SIGNER_KEY, else the
    deployer's."""
    if settings.worker_signer_key is None:
        return deployer(settings, w3)
    try:
        return Transactor.from_key(w3, settings.worker_signer_key.get_secret_value())
    except (ValueError, TypeError):
        raise DeployerKeyError(
            "RWAKIT_WORKER_SIGNER_KEY is not a valid private key — set it to 32 bytes of hex"
        ) from None
