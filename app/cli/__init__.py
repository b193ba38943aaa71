"""The `preflight` command line (docs/architecture.md §10)."""
