"""Errors from talking to a chain, phrased for the operator who must fix them."""

from rwakit.errors import RwakitError


class ChainError(RwakitError):
    """The node is missing, unreachable or the wrong network (message says which and what to do)."""


class DeploymentMissing(RwakitError):
    """No rwakit deployment is recorded for the connected chain (message says how to deploy)."""
