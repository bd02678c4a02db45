"""Shared test configuration: Hypothesis profiles, and a throwaway PostgreSQL cluster."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=20, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


# --- a throwaway PostgreSQL cluster for the store tests ------------------------------------------


def _pg_bindir() -> Path | None:
    """Where ``initdb`` and ``pg_ctl`` live: on PATH, else Debian's versioned directory."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _as_server_user(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its programs as the ``postgres`` user."""
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


def _no_cluster(reason: str) -> None:
    """On CI a missing server is a failure, never a silent skip; elsewhere the PostgreSQL tests skip."""
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required on CI and could not start: {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL server here ({reason}); CI fails instead of skipping")


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[tuple[str, Path, Path]]:
    """A PostgreSQL cluster started for this test session in a temporary directory, on a free port.

    Yields ``(url, bindir, datadir)``; the cluster is stopped and deleted at the end.
    """
    bindir = _pg_bindir()
    if bindir is None:
        _no_cluster("initdb and pg_ctl were not found")
        raise AssertionError("unreachable")  # pragma: no cover
    root = Path(tempfile.mkdtemp(prefix="ansinh-pg-"))
    data, log = root / "data", root / "server.log"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    try:
        subprocess.run(
            _as_server_user(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "ansinh",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-locale",
                ]
            ),
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_server_user(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            text=True,
            timeout=90,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", "") or ""
        with contextlib.suppress(OSError):
            detail += log.read_text()[-2000:]
        shutil.rmtree(root, ignore_errors=True)
        _no_cluster(f"{exc} {detail}".strip())
    try:
        yield f"postgresql://ansinh@127.0.0.1:{port}/postgres", bindir, data
    finally:
        subprocess.run(
            _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def _new_database(server: str) -> Iterator[str]:
    """A fresh database on the test cluster (dropped afterwards): its URL."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}".encode())
    yield server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)".encode())


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of a new, empty store: a SQLite file, then a fresh database on the test cluster.

    Every store test that takes this fixture runs against both databases.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    server, _, _ = request.getfixturevalue("postgres_cluster")
    with _new_database(server) as url:
        yield url


@pytest.fixture
def postgres_url(postgres_cluster: tuple[str, Path, Path]) -> Iterator[str]:
    """The URL of a fresh database on the test cluster (for the PostgreSQL-only tests)."""
    with _new_database(postgres_cluster[0]) as url:
        yield url


class PostgresServer:
    """Stops the test cluster the hard way and starts it again (for the fault tests)."""

    def __init__(self, url: str, bindir: Path, data: Path) -> None:
        port = url.rsplit(":", 1)[1].split("/", 1)[0]
        self._ctl = [str(bindir / "pg_ctl"), "-D", str(data)]
        self._root = data.parent
        self._options = f"-p {port} -k {self._root} -c listen_addresses=127.0.0.1 -c fsync=off"

    def running(self) -> bool:
        """Whether the server is up."""
        status = subprocess.run(_as_server_user([*self._ctl, "status"]), capture_output=True, check=False)
        return status.returncode == 0

    def stop_immediately(self) -> None:
        """``pg_ctl stop -m immediate``: every connection cut, no clean shutdown."""
        subprocess.run(
            _as_server_user([*self._ctl, "-m", "immediate", "-w", "stop"]),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        """Start the server again (a no-op when it runs)."""
        if self.running():
            return
        log = str(self._root / "server.log")
        subprocess.run(
            _as_server_user([*self._ctl, "-o", self._options, "-l", log, "-w", "-t", "60", "start"]),
            check=True,
            capture_output=True,
            timeout=90,
        )


@pytest.fixture
def postgres_server(postgres_cluster: tuple[str, Path, Path]) -> Iterator[PostgresServer]:
    """The test cluster's controls; it is started again after the test if the test left it down."""
    server = PostgresServer(*postgres_cluster)
    yield server
    server.start()
