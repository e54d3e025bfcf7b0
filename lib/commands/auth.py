"""`hash-password`: the bcrypt hash of a password, for config/auth.yaml.

    python -m lib.cli hash-password            # asks twice, without echo
    printf '%s' "$PASSWORD" | python -m lib.cli hash-password

The password is read from the terminal or stdin, never from the command line (where the
shell history and the process list would keep it).
"""
from __future__ import annotations

import getpass
import sys

from lib.cli import EXIT_OK, EXIT_USAGE, print_json


def _read_password() -> str | None:
    if not sys.stdin.isatty():
        return sys.stdin.read().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        print("error: the two passwords differ", file=sys.stderr)
        return None
    return first


def cmd_hash_password(args) -> int:
    from lib.auth import hash_password, password_problem

    password = _read_password()
    if password is None:
        return EXIT_USAGE
    problem = password_problem(password)
    if problem:
        print(f"error: {problem}; choose another", file=sys.stderr)
        return EXIT_USAGE
    hashed = hash_password(password)
    if args.format == "json":
        print_json({"hash": hashed})
    else:
        print(hashed)
    return EXIT_OK


COMMANDS = {
    "hash-password": (cmd_hash_password, "bcrypt hash of a password read from stdin, for config/auth.yaml",
                      None, "text"),
}
