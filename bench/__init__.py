"""Benchmarks of newsrack against its peers: each script prints a table and compares in one run."""
