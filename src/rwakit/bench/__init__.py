"""Benchmarks behind `rwakit bench …`: each prints JSON, none is a test."""
