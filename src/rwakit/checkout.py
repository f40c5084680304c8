"""Where the rwakit source checkout is, for files that belong beside the code (the pinned
anvil under node_modules, the committed gas snapshot)."""

from pathlib import Path


def repo_root() -> Path | None:
    """The checkout this package lives in (editable install), found by its package.json.

    None for an installed wheel, which has no checkout around it.
    """
    for parent in Path(__file__).resolve().parents:
        if (parent / "package.json").is_file() and (parent / "pyproject.toml").is_file():
            return parent
    return None
