"""Benchmarks (not timed tests): ``python -m bench.run`` or ``python -m bench.assignments``."""
