"""``python -m ansinh``: the same as the ``ansinh`` command."""

from __future__ import annotations

from ansinh.cli import command

if __name__ == "__main__":
    raise SystemExit(command())
