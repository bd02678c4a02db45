"""The throwaway PostgreSQL cluster the store tests run against starts, answers and keeps data."""

from __future__ import annotations

from pathlib import Path

import psycopg


def test_the_cluster_answers_and_commits(postgres_cluster: tuple[str, Path, Path]) -> None:
    url, _, _ = postgres_cluster
    with psycopg.connect(url, autocommit=True) as conn:
        version = conn.execute("SHOW server_version_num").fetchone()
        assert version is not None
        assert int(version[0]) >= 150000
        conn.execute("CREATE TABLE IF NOT EXISTS probe (n int)")
        conn.execute("INSERT INTO probe VALUES (41), (1)")
    with psycopg.connect(url) as conn:
        total = conn.execute("SELECT sum(n) FROM probe").fetchone()
        assert total == (42,)
