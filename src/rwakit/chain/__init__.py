"""Adapters to EVM nodes: managed anvil, connections, deployment."""
