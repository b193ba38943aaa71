"""Preflight core: domain rules, services, import/export, vault and sync. No Qt here."""

# The release's version is pyproject.toml's [project] version: the installers read it from there,
# and tests/packaging/test_packaging.py keeps this copy equal to it. A literal rather than
# importlib.metadata.version("preflight"): that import adds ~20 ms to every start, and needs the
# package metadata, which a frozen app or a bare source checkout may not have.
__version__ = "0.1.0"
