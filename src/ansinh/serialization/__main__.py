"""``python -m ansinh.serialization --write-schemas [DIRECTORY]``: regenerate the shipped JSON Schemas."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ansinh.serialization.schema import write_schemas


def main(argv: Sequence[str]) -> int:
    """Write the schemas (to *DIRECTORY*, default the package's ``data/schemas``); 2 on bad usage."""
    if list(argv[:1]) != ["--write-schemas"] or len(argv) > 2:
        print("usage: python -m ansinh.serialization --write-schemas [DIRECTORY]", file=sys.stderr)
        return 2
    for path in write_schemas(argv[1] if len(argv) == 2 else None):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
