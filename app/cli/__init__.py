"""The `preflight` command line (DESIGN.md §10)."""
