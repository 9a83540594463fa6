"""Benchmarks (`make bench`): measured figures against the targets the issues set. Not tests."""
