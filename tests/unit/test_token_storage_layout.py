"""SecurityTokenAdmin runs by delegatecall against a token's storage: the two must lay
out storage identically, or an admin call would write the wrong slots."""

import vyper
from vyper.compiler.input_bundle import FilesystemInputBundle

from rwakit.contracts.build import CONTRACTS_DIR


def storage_layout(name: str) -> dict:
    bundle = FilesystemInputBundle([CONTRACTS_DIR])
    out = vyper.compile_from_file_input(
        bundle.load_file(f"{name}.vy"), input_bundle=bundle, output_formats=["layout"]
    )
    return out["layout"]["storage_layout"]


def test_token_and_admin_extension_share_one_storage_layout():
    token, admin = storage_layout("SecurityToken"), storage_layout("SecurityTokenAdmin")
    assert set(token) == {"token_state"}, "token storage must live only in lib/token_state.vy"
    assert token == admin
