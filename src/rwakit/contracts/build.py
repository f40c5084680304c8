"""Compile every contract in the contracts folder, cached by a hash of the whole source tree.

Top-level ``*.vy`` files with a constructor or external functions are contracts and get an
artifact. Modules that are only imported belong in ``lib/`` (or have no external entry point)
and are never compiled on their own. Imports resolve against the contracts folder, so a
contract can ``import Sibling`` or ``from lib import helper``.

The cache key covers the vyper version and every ``.vy``/``.vyi`` file under the folder, so an
unchanged tree compiles nothing and any edit (even to a lib module) rebuilds everything.
"""

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import vyper

from rwakit.config import Settings, get_settings
from rwakit.contracts.artifacts import ContractArtifact
from rwakit.contracts.compiler import BuildError, compile_with_vyper, is_deployable

__all__ = [
    "CONTRACTS_DIR",
    "BuildError",
    "BuildProgress",
    "BuildReport",
    "ContractArtifact",
    "build_contracts",
    "load_artifacts",
]

CONTRACTS_DIR = Path(__file__).resolve().parent
ARTIFACT_FORMAT = "1"  # bump when ContractArtifact's shape changes, to invalidate old caches

CompileContract = Callable[[Path, list[Path]], ContractArtifact]


class BuildProgress(Protocol):
    """Receives progress while contracts compile (the CLI draws a rich progress bar)."""

    def started(self, total: int) -> None: ...
    def compiling(self, name: str) -> None: ...
    def compiled(self, name: str) -> None: ...


@dataclass
class BuildReport:
    artifacts: dict[str, ContractArtifact]
    key: str
    cache_file: Path | None  # None when no writable cache directory was found
    compiled: list[str] = field(default_factory=list)  # empty on a cache hit


def source_files(source_dir: Path) -> list[Path]:
    """Every Vyper source and interface under ``source_dir``, in a stable order."""
    files = [*source_dir.rglob("*.vy"), *source_dir.rglob("*.vyi")]
    return sorted(files, key=lambda path: path.relative_to(source_dir).as_posix())


def tree_key(source_dir: Path) -> str:
    """sha256 over the vyper version and each source's relative path and contents."""
    digest = hashlib.sha256(f"vyper {vyper.__version__}\nformat {ARTIFACT_FORMAT}\n".encode())
    for path in source_files(source_dir):
        contents = path.read_bytes()
        digest.update(path.relative_to(source_dir).as_posix().encode() + b"\0")
        digest.update(len(contents).to_bytes(8, "big") + contents)
    return digest.hexdigest()


def contracts_to_compile(source_dir: Path) -> list[Path]:
    top_level = sorted(source_dir.glob("*.vy"))
    return [path for path in top_level if is_deployable(path.read_text())]


def default_cache_dir(settings: Settings) -> Path | None:
    """``<data_dir>/build``, else a cache beside the sources, else None (no caching)."""
    for candidate in (settings.data_dir / "build", CONTRACTS_DIR / ".build"):
        try:
            candidate.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(candidate, os.W_OK):
            return candidate
    return None


def build_contracts(
    source_dir: Path = CONTRACTS_DIR,
    cache_dir: Path | None = None,
    *,
    compile_contract: CompileContract = compile_with_vyper,
    progress: BuildProgress | None = None,
    force: bool = False,
) -> BuildReport:
    """Artifacts for every contract in ``source_dir``, compiling only when the tree changed."""
    source_dir = source_dir.resolve()
    if cache_dir is None:
        cache_dir = default_cache_dir(get_settings())
    key = tree_key(source_dir)
    cache_file = cache_dir / f"{key}.json" if cache_dir is not None else None

    if cache_file is not None and not force:
        cached = _read_cache(cache_file)
        if cached is not None:
            return BuildReport(cached, key, cache_file)

    sources = contracts_to_compile(source_dir)
    if progress:
        progress.started(len(sources))
    artifacts: dict[str, ContractArtifact] = {}
    for source in sources:
        if progress:
            progress.compiling(source.name)
        artifacts[source.stem] = compile_contract(source, [source_dir])
        if progress:
            progress.compiled(source.name)

    if cache_file is not None and not _write_cache(cache_file, key, artifacts):
        cache_file = None
    return BuildReport(artifacts, key, cache_file, compiled=[s.stem for s in sources])


def load_artifacts(
    source_dir: Path = CONTRACTS_DIR,
    cache_dir: Path | None = None,
    *,
    compile_contract: CompileContract = compile_with_vyper,
) -> dict[str, ContractArtifact]:
    """Contract name (file stem) → artifact, from the cache when the sources are unchanged."""
    return build_contracts(source_dir, cache_dir, compile_contract=compile_contract).artifacts


def _read_cache(cache_file: Path) -> dict[str, ContractArtifact] | None:
    try:
        data = json.loads(cache_file.read_text())
        return {name: ContractArtifact.from_json(item) for name, item in data["contracts"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or unreadable cache: just rebuild


def _write_cache(cache_file: Path, key: str, artifacts: dict[str, ContractArtifact]) -> bool:
    """Store the artifacts; False (and no cache) when the directory can't be written."""
    payload = {
        "key": key,
        "vyper": vyper.__version__,
        "contracts": {name: artifact.to_json() for name, artifact in artifacts.items()},
    }
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        # Write-then-rename so a concurrent reader (another test worker) never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=cache_file.parent, suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(payload, handle)
        os.replace(tmp, cache_file)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        return False
    return True
