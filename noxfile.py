"""Development sessions: ``nox -s tests lint typing docs`` is what CI runs; ``bench`` and ``fuzz`` are opt-in."""

from __future__ import annotations

import os

import nox

nox.options.sessions = ["tests", "lint", "typing", "docs"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_external_run = True

PYPROJECT = nox.project.load_toml("pyproject.toml")
ALL_EXTRAS = ".[bulk,fast,dask,excel,chart,hypothesis,serve,postgres,progress]"
PYTHONS = nox.project.python_versions(PYPROJECT)


def _group(name: str) -> list[str]:
    return list(nox.project.dependency_groups(PYPROJECT, name))


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (and the doctests in the package) on the current interpreter."""
    session.install(ALL_EXTRAS, *_group("test"))
    env = {"HYPOTHESIS_PROFILE": "ci"} if os.environ.get("CI") else {}
    session.run("pytest", *session.posargs, env=env)


@nox.session(python=PYTHONS)
def tests_all(session: nox.Session) -> None:
    """Run the test suite on every Python version the classifiers name (where installed)."""
    session.install(ALL_EXTRAS, *_group("test"))
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check over the whole tree."""
    session.install(*_group("lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typing(session: nox.Session) -> None:
    """mypy --strict on src/ and tests/."""
    session.install(ALL_EXTRAS, *_group("typing"))
    session.run("mypy", "--strict", "src", "tests")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the Sphinx docs (warnings are errors) and run every example in them."""
    session.install(ALL_EXTRAS, *_group("docs"))
    for builder in ("html", "doctest"):
        session.run(
            "sphinx-build", "-W", "--keep-going", "-n", "-b", builder, "docs", f"docs/_build/{builder}"
        )


@nox.session(default=False)
def fuzz(session: nox.Session) -> None:
    """The fuzz suite, long: ``ANSINH_FUZZ_EXAMPLES`` examples per test (default 2000; CI runs 25 in ``tests``)."""
    session.install(ALL_EXTRAS, *_group("test"))
    examples = os.environ.get("ANSINH_FUZZ_EXAMPLES", "2000")
    session.run(
        "pytest",
        "-m",
        "fuzz",
        "--hypothesis-show-statistics",
        "tests/fuzz",
        *session.posargs,
        env={"ANSINH_FUZZ_EXAMPLES": examples},
    )


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Benchmarks: print speed and memory figures (never part of CI's pass/fail)."""
    session.install(ALL_EXTRAS)
    scripts = session.posargs or sorted(
        f"benchmarks/{name}" for name in os.listdir("benchmarks") if name.startswith("bench_")
    )
    for script in scripts:
        session.run("python", script)
