"""Deploy a rwakit system (registry, token admin extension, token blueprint, factory,
multicall) and record where it lives, so a second run reuses it instead of redeploying."""

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

    @property
    def contracts(self) -> dict[str, str]:
        return {
            "IdentityRegistry": self.registry,
            "SecurityTokenAdmin": self.token_admin,
            "SecurityToken (blueprint)": self.token_blueprint,
            "TokenFactory": self.factory,
            "Multicall": self.multicall,
        }


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
    """Five contract creations; the deployer becomes admin of the registry and the factory."""
    w3, me = tx.w3, tx.address
    registry = tx.deploy(_constructor(w3, artifacts["IdentityRegistry"], me))
    token_admin = tx.deploy(_constructor(w3, artifacts["SecurityTokenAdmin"], registry))
    blueprint = tx.deploy(artifacts["SecurityToken"].blueprint_bytecode)
    factory = tx.deploy(
        _constructor(w3, artifacts["TokenFactory"], blueprint, token_admin, registry, me)
    )
    multicall = tx.deploy(_constructor(w3, artifacts["Multicall"]))
    return Deployment(
        chain_id=w3.eth.chain_id,
        registry=registry,
        token_admin=token_admin,
        token_blueprint=blueprint,
        factory=factory,
        multicall=multicall,
        deployer=me,
        build_key=build_key,
    )


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
