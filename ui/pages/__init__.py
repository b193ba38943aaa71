"""Pages of the Preflight desktop app."""
