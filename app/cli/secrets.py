"""Reading a client secret for a command: never from its arguments (they show in `ps` and in the
shell's history), but from an environment variable, standard input, or a prompt."""

from __future__ import annotations

import getpass
import os
import sys


def client_secret(env_name: str, prompt: str) -> str:
    """`$env_name` if set; else the first line of standard input when it is not a terminal
    (scripts: `echo … | preflight …`); else a prompt that does not echo."""
    secret = os.environ.get(env_name)
    if secret:
        return secret
    if not sys.stdin.isatty():
        return sys.stdin.readline().strip()
    return getpass.getpass(prompt)
