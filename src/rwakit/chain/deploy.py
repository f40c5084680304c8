"""Deploy a rwakit system (registry, token admin extension, token blueprint, token factory,
multicall, and the asset factory with its corporate-action blueprints) and record where it
lives, so a second run reuses it instead of redeploying."""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from web3 import Web3

from rwakit.chain.errors import DeploymentMissing
from rwakit.chain.transactor import Transactor
from rwakit.contracts.artifacts import ContractArtifact


@dataclass(frozen=True)
class Deployment:
    chain_id: int
    registry: str
    token_admin: str
    token_blueprint: str
    factory: str
    multicall: str
    deployer: str
    build_key: str
    asset_factory: str = ""  # empty in records written before it was part of a system

    @property
    def contracts(self) -> dict[str, str]:
        named = {
            "IdentityRegistry": self.registry,
            "SecurityTokenAdmin": self.token_admin,
            "SecurityToken (blueprint)": self.token_blueprint,
            "TokenFactory": self.factory,
            "Multicall": self.multicall,
        }
        if self.asset_factory:
            named["AssetFactory"] = self.asset_factory
        return named


def deployment_file(data_dir: Path, chain_id: int) -> Path:
    return data_dir / "deployments" / f"{chain_id}.json"


def _constructor(w3: Web3, artifact: ContractArtifact, *args: object) -> str:
    return (
        w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        .constructor(*args)
        .data_in_transaction
    )


def deploy_system(
    tx: Transactor, artifacts: dict[str, ContractArtifact], build_key: str
) -> Deployment:
    """The system's contracts; the deployer becomes admin of the registry and the factories."""
    w3, me = tx.w3, tx.address
    registry = tx.deploy(_constructor(w3, artifacts["IdentityRegistry"], me))
    token_admin = tx.deploy(_constructor(w3, artifacts["SecurityTokenAdmin"], registry))
    blueprint = tx.deploy(artifacts["SecurityToken"].blueprint_bytecode)
    factory = tx.deploy(
        _constructor(w3, artifacts["TokenFactory"], blueprint, token_admin, registry, me)
    )
    multicall = tx.deploy(_constructor(w3, artifacts["Multicall"]))
    asset_factory = deploy_asset_factory_for(tx, artifacts, factory, registry)
    return Deployment(
        chain_id=w3.eth.chain_id,
        registry=registry,
        token_admin=token_admin,
        token_blueprint=blueprint,
        factory=factory,
        multicall=multicall,
        deployer=me,
        build_key=build_key,
        asset_factory=asset_factory,
    )


ASSET_BLUEPRINTS = (
    "Bond",
    "FixedYield",
    "Distribution",
    "Vault",
    "Offering",
    "FundFee",
    "CollateralMinter",
    "Voting",
)


def deploy_asset_factory_for(
    tx: Transactor, artifacts: dict[str, ContractArtifact], token_factory: str, registry: str
) -> str:
    """The corporate-action blueprints and the `AssetFactory` over them, made a creator on
    the token factory (``tx`` must own it). The blueprints go out together: one block's
    wait instead of eight on a chain with block times."""
    sent = [
        tx.submit_tx({"data": artifacts[name].blueprint_bytecode}, f"{name} blueprint")
        for name in ASSET_BLUEPRINTS
    ]
    blueprints = [tx.wait(pending)["contractAddress"] for pending in sent]
    w3 = tx.w3
    factory = tx.deploy(
        _constructor(w3, artifacts["AssetFactory"], token_factory, *blueprints, registry)
    )
    tokens = w3.eth.contract(address=token_factory, abi=artifacts["TokenFactory"].abi)
    tx.transact(tokens.functions.setCreator(factory, True))
    return factory


def save_deployment(data_dir: Path, deployment: Deployment) -> Path:
    path = deployment_file(data_dir, deployment.chain_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(deployment), indent=2) + "\n")
    return path


def _is_live(w3: Web3, deployment: Deployment) -> bool:
    return all(
        len(w3.eth.get_code(Web3.to_checksum_address(a))) > 0 for a in deployment.contracts.values()
    )


def load_deployment(w3: Web3, data_dir: Path) -> Deployment:
    """The recorded deployment for the connected chain, checked to still exist on it."""
    chain_id = w3.eth.chain_id
    path = deployment_file(data_dir, chain_id)
    if not path.exists():
        raise DeploymentMissing(
            f"no rwakit deployment recorded for chain {chain_id} in {path.parent} "
            "— run `rwakit deploy`"
        )
    try:
        deployment = Deployment(**json.loads(path.read_text()))
    except (ValueError, TypeError) as exc:
        raise DeploymentMissing(
            f"{path} is unreadable ({exc}) — delete it and run `rwakit deploy`"
        ) from None
    if not _is_live(w3, deployment):
        raise DeploymentMissing(
            f"the deployment recorded in {path} has no code on chain {chain_id} "
            "(was the node reset?) — run `rwakit deploy`"
        )
    return deployment


def ensure_deployed(
    tx: Transactor, data_dir: Path, artifacts: dict[str, ContractArtifact], build_key: str
) -> tuple[Deployment, bool]:
    """(deployment, freshly deployed?): reuse a live recorded deployment of the same build."""
    try:
        existing = load_deployment(tx.w3, data_dir)
        if existing.build_key == build_key:
            return existing, False
    except DeploymentMissing:
        pass
    deployment = deploy_system(tx, artifacts, build_key)
    save_deployment(data_dir, deployment)
    return deployment, True
