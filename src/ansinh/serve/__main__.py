"""``python -m ansinh.serve``: the ``ansinh serve`` command on its own."""

from ansinh.serve.cli import main

raise SystemExit(main())
