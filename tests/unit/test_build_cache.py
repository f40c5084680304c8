from pathlib import Path

import pytest

from rwakit.contracts.build import (
    BuildError,
    ContractArtifact,
    build_contracts,
    load_artifacts,
    tree_key,
)
from rwakit.contracts.compiler import compile_with_vyper, is_deployable

COUNTER = """
from lib import arithmetic

count: public(uint256)

@deploy
def __init__(start: uint256):
    self.count = start

@external
def bump() -> uint256:
    self.count = arithmetic.add_one(self.count)
    return self.count
"""

ARITHMETIC = """
@internal
@pure
def add_one(x: uint256) -> uint256:
    return x + 1
"""

# A top-level module that is only meant to be imported: it must not become an artifact.
TOP_LEVEL_MODULE = """
@internal
def helper() -> uint256:
    return 7
"""


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    (root / "lib").mkdir(parents=True)
    (root / "Counter.vy").write_text(COUNTER)
    (root / "lib" / "arithmetic.vy").write_text(ARITHMETIC)
    (root / "helpers.vy").write_text(TOP_LEVEL_MODULE)
    return root


class CountingCompiler:
    """Test double for the compiler: records calls, returns a recognisable artifact."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, source: Path, search_paths: list[Path]) -> ContractArtifact:
        self.calls.append(source.name)
        return ContractArtifact(source.stem, [], "0x01", "0x02", "0x03")


def test_only_contracts_are_compiled(sources: Path, tmp_path: Path) -> None:
    compiler = CountingCompiler()
    artifacts = load_artifacts(sources, tmp_path / "cache", compile_contract=compiler)
    assert compiler.calls == ["Counter.vy"]
    assert set(artifacts) == {"Counter"}


def test_unchanged_tree_compiles_nothing(sources: Path, tmp_path: Path) -> None:
    compiler = CountingCompiler()
    first = build_contracts(sources, tmp_path / "cache", compile_contract=compiler)
    second = build_contracts(sources, tmp_path / "cache", compile_contract=compiler)
    assert compiler.calls == ["Counter.vy"]
    assert second.compiled == []
    assert second.artifacts == first.artifacts
    assert second.cache_file == tmp_path / "cache" / f"{first.key}.json"


def test_editing_a_lib_module_rebuilds(sources: Path, tmp_path: Path) -> None:
    compiler = CountingCompiler()
    before = tree_key(sources)
    load_artifacts(sources, tmp_path / "cache", compile_contract=compiler)
    (sources / "lib" / "arithmetic.vy").write_text(ARITHMETIC + "\n# changed\n")
    load_artifacts(sources, tmp_path / "cache", compile_contract=compiler)
    assert tree_key(sources) != before
    assert compiler.calls == ["Counter.vy", "Counter.vy"]


def test_force_ignores_the_cache(sources: Path, tmp_path: Path) -> None:
    compiler = CountingCompiler()
    build_contracts(sources, tmp_path / "cache", compile_contract=compiler)
    build_contracts(sources, tmp_path / "cache", compile_contract=compiler, force=True)
    assert len(compiler.calls) == 2


def test_corrupt_cache_file_is_rebuilt(sources: Path, tmp_path: Path) -> None:
    compiler = CountingCompiler()
    report = build_contracts(sources, tmp_path / "cache", compile_contract=compiler)
    assert report.cache_file is not None
    report.cache_file.write_text("{not json")
    build_contracts(sources, tmp_path / "cache", compile_contract=compiler)
    assert len(compiler.calls) == 2


def test_vyper_output_has_abi_code_and_blueprint(sources: Path) -> None:
    artifact = compile_with_vyper(sources / "Counter.vy", [sources])
    assert {item.get("name") for item in artifact.abi} >= {"bump", "count"}
    init_code = artifact.bytecode.removeprefix("0x")
    assert init_code and artifact.runtime_bytecode.removeprefix("0x") in init_code
    # EIP-5202: the stored blueprint is 0xFE 0x71 0x00 followed by the init code.
    assert artifact.blueprint_bytecode.endswith("fe7100" + init_code)


def test_compile_error_is_one_line_naming_the_file(sources: Path) -> None:
    (sources / "Broken.vy").write_text("@external\ndef f() -> uint256:\n    return missing\n")
    with pytest.raises(BuildError) as caught:
        compile_with_vyper(sources / "Broken.vy", [sources])
    message = str(caught.value)
    assert message.startswith("Broken.vy does not compile: 'missing' has not been declared")
    assert "\n" not in message


@pytest.mark.parametrize(
    ("source", "deployable"),
    [
        (COUNTER, True),
        (ARITHMETIC, False),
        ("x: public(uint256)\n", True),
        ("import ownable\nexports: ownable.__interface__\n", True),
        ("@external\ndef f():\n    pass\n", True),
    ],
)
def test_is_deployable(source: str, deployable: bool) -> None:
    assert is_deployable(source) is deployable
