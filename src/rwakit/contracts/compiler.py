"""Compile one Vyper source with the vyper package, in-process."""

from collections.abc import Sequence
from pathlib import Path

import vyper
from vyper import ast as vy_ast
from vyper.compiler.input_bundle import FilesystemInputBundle
from vyper.exceptions import VyperException

from rwakit.contracts.artifacts import ContractArtifact
from rwakit.errors import RwakitError

OUTPUTS = ("abi", "bytecode", "bytecode_runtime", "blueprint_bytecode")


class BuildError(RwakitError):
    """A contract does not compile; the message names the file, the error and its line."""


def is_deployable(source: str) -> bool:
    """True for a contract (a constructor or any external entry point), False for a module.

    A source that does not even parse counts as deployable, so compiling it reports the error.
    """
    try:
        module = vy_ast.parse_to_ast(source)
    except VyperException:
        return True
    for node in module.body:
        if isinstance(node, vy_ast.ExportsDecl):
            return True
        if isinstance(node, vy_ast.VariableDecl) and node.is_public:
            return True
        if isinstance(node, vy_ast.FunctionDef):
            names = {d.id for d in node.decorator_list if isinstance(d, vy_ast.Name)}
            if names & {"deploy", "external"}:
                return True
    return False


def compile_with_vyper(source: Path, search_paths: Sequence[Path]) -> ContractArtifact:
    """Compile ``source``; imports resolve against ``search_paths`` (later ones win)."""
    bundle = FilesystemInputBundle(list(search_paths))
    # Load by path relative to its search path so names (and metadata) don't embed this machine.
    relative = next(
        (source.relative_to(sp) for sp in search_paths if source.is_relative_to(sp)), source
    )
    try:
        file_input = bundle.load_file(relative)
        out = vyper.compile_from_file_input(
            file_input, input_bundle=bundle, output_formats=list(OUTPUTS)
        )
    except VyperException as exc:
        raise BuildError(f"{source.name} does not compile: {_one_line(exc)}") from exc
    return ContractArtifact(
        name=source.stem,
        abi=out["abi"],
        bytecode=out["bytecode"],
        runtime_bytecode=out["bytecode_runtime"],
        blueprint_bytecode=out["blueprint_bytecode"],
    )


def _one_line(exc: VyperException) -> str:
    # vyper's str() is message + annotated source; keep the message and the location line.
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    where = next((line for line in lines[1:] if line.startswith("contract ")), "")
    return f"{lines[0]} ({where})" if where else lines[0]
