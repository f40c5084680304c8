import typer
from typer.testing import CliRunner

from rwakit.chain.errors import ChainError, DeploymentMissing
from rwakit.cli_errors import OperatorErrorGroup
from tests.cli_run import assert_one_line_error, run_cli
from tests.closed_port import closed_port


def test_node_that_does_not_answer_is_one_red_line() -> None:
    with closed_port() as port:
        result = run_cli("chain-info", env={"RWAKIT_RPC_URLS": f"http://127.0.0.1:{port}"})
    assert_one_line_error(result, f"no node answers at http://127.0.0.1:{port} — ")
    assert result.stdout == ""


def test_invalid_setting_is_one_red_line() -> None:
    result = run_cli("chain-info", env={"RWAKIT_GAS_LIMIT": "lots"})
    assert_one_line_error(result, "RWAKIT_GAS_LIMIT is invalid")


def _app_raising(error: Exception) -> typer.Typer:
    app = typer.Typer(cls=OperatorErrorGroup)
    sub = typer.Typer()  # sub-apps (like a future `rwakit bench`) are covered too

    @app.callback()
    def main() -> None: ...

    @sub.command()
    def fails() -> None:
        raise error

    app.add_typer(sub, name="sub")
    return app


def test_handler_covers_sub_apps_and_deployment_missing() -> None:
    error = DeploymentMissing("no deployment recorded for chain 31337 — run `rwakit deploy`")
    result = CliRunner().invoke(_app_raising(error), ["sub", "fails"])
    assert result.exit_code == 1
    assert result.stderr == f"error: {error}\n"
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_multi_line_messages_are_flattened() -> None:
    result = CliRunner().invoke(_app_raising(ChainError("first\nsecond")), ["sub", "fails"])
    assert result.stderr == "error: first second\n"


def test_other_exceptions_are_not_swallowed() -> None:
    result = CliRunner().invoke(_app_raising(RuntimeError("bug")), ["sub", "fails"])
    assert isinstance(result.exception, RuntimeError)
