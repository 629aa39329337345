"""Benchmark of the formation engine: synthetic pools, baselines, the report."""
