"""Benchmarks and load tests of the real server (`make bench`, `make soak`)."""
