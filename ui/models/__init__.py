"""Models of the Preflight desktop app."""
