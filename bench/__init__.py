"""National-scale benchmarks (`make bench`): see bench/README.md."""
