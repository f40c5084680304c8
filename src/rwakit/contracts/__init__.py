"""Vyper sources of the rwakit contracts and the step that compiles them."""
