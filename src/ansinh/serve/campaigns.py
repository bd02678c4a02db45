"""Where the API's read-only campaign endpoints find campaigns: a small protocol and today's store.

``GET /campaigns`` and ``GET /campaigns/{code}/report`` read a
:class:`CampaignSource`, not a store class, so the server can be pointed at
any store that lists campaigns and gives the ledger state of one.
:class:`SqliteCampaigns` implements it for :class:`~ansinh.io.store.SqliteStore`
files (a file may hold many campaigns) and ``postgresql://`` databases
(:class:`~ansinh.io.store.PostgresStore`).

>>> import tempfile, pathlib
>>> from ansinh.io.store import SqliteStore
>>> from ansinh.testing import sample_campaign
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = pathlib.Path(tmp) / "ledger.sqlite"
...     SqliteStore(path, sample_campaign()).close()
...     source = open_campaign_source([f"sqlite:///{path}"])
...     [c.code for c in source.campaigns()], source.state("TEST2026").campaign.code, source.state("X")
(['TEST2026'], 'TEST2026', None)
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final, Protocol, runtime_checkable

from ansinh.core.campaign import Campaign
from ansinh.core.law import Law
from ansinh.core.ledger import LedgerState
from ansinh.core.places import CommuneList
from ansinh.core.pricing import LocalSupport
from ansinh.exceptions import InvalidValueError, LedgerError

if TYPE_CHECKING:
    from ansinh.io.store import SqliteStore

__all__ = ["CampaignSource", "SqliteCampaigns", "open_campaign_source", "store_path"]

_SQLITE: Final = "sqlite://"


@runtime_checkable
class CampaignSource(Protocol):
    """The campaigns a server reports on (read-only)."""

    def campaigns(self) -> tuple[Campaign, ...]:
        """Every campaign, in a stable order.

        Raises:
            LedgerError: a store cannot be read.
        """
        ...

    def state(self, code: str) -> LedgerState | None:
        """The current ledger state of the campaign *code*, or ``None`` when there is no such campaign.

        Raises:
            LedgerError: the store cannot be read.
        """
        ...


def store_path(location: str | os.PathLike[str]) -> Path:
    """The file a ``--store`` value names: a path, or a URL ``sqlite:///relative/path`` / ``sqlite:////absolute/path``.

    Raises:
        InvalidValueError: another URL scheme.

    >>> store_path("sqlite:///build/ledger.sqlite"), store_path("sqlite:////srv/ledger.sqlite")
    (PosixPath('build/ledger.sqlite'), PosixPath('/srv/ledger.sqlite'))
    """
    from ansinh.io.store import store_location

    return store_location(location)


class SqliteCampaigns:
    """:class:`CampaignSource` over store files (and PostgreSQL stores), each holding one or more campaigns.

    A ``postgresql://`` location is kept open, and each read first takes in
    the events other writers committed since (:meth:`~ansinh.io.store.SqliteStore.refresh`).

    Each file is opened with :class:`~ansinh.io.store.SqliteStore` (which
    re-checks every stored event) when first read, and again only when the
    file has changed since (its size or modification time, or its write-ahead
    log's); the states are kept in between.

    Args:
        paths: the store files; each must exist.
        law: the law the gifts were priced under (default: the shipped law).
        local_supports: the provincial top-ups the gifts were priced with.
        commune_lists: the dated commune lists the gifts were priced with (each
            store also keeps those it was written with).

    Raises:
        InvalidValueError: a path is not an existing file.
    """

    def __init__(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        law: Law | None = None,
        local_supports: Sequence[LocalSupport] = (),
        commune_lists: Sequence[CommuneList] = (),
    ) -> None:
        from ansinh.io.store import is_postgres_url

        given = [os.fspath(p) for p in paths]
        self._locations: tuple[Path | str, ...] = tuple(
            p if is_postgres_url(p) else store_path(p) for p in given
        )
        self._paths = tuple(p for p in self._locations if isinstance(p, Path))
        for path in self._paths:
            if not path.is_file():
                raise InvalidValueError("store", str(path), "an existing ansinh SQLite store file")
        self._law = law
        self._local_supports = tuple(local_supports)
        self._commune_lists = tuple(commune_lists)
        self._lock = threading.Lock()
        self._states: dict[Path, tuple[tuple[tuple[int, int], ...], dict[str, LedgerState]]] = {}
        self._servers: dict[str, SqliteStore] = {}

    @property
    def paths(self) -> tuple[Path, ...]:
        """The store files (the SQLite ones)."""
        return self._paths

    def _signature(self, path: Path) -> tuple[tuple[int, int], ...]:
        stats = []
        for part in (path, path.with_name(path.name + "-wal")):
            try:
                st = part.stat()
            except FileNotFoundError:
                continue
            stats.append((st.st_mtime_ns, st.st_size))
        return tuple(stats)

    def _states_of(self, path: Path | str) -> dict[str, LedgerState]:
        from ansinh.io.store import SqliteStore, open_store

        if isinstance(path, str):  # a database server: kept open, brought up to date
            with self._lock:
                store = self._servers.get(path)
                if store is None:
                    store = open_store(
                        path,
                        law=self._law,
                        local_supports=self._local_supports,
                        commune_lists=self._commune_lists,
                    )
                    self._servers[path] = store
                store.refresh()
                return {c.code: store.ledger_of(c.code).state for c in store.campaigns()}
        with self._lock:
            signature = self._signature(path)
            known = self._states.get(path)
            if known is not None and known[0] == signature:
                return known[1]
            if not path.is_file():
                raise LedgerError(f"{path}: the store file is gone")
            with SqliteStore(
                path, law=self._law, local_supports=self._local_supports, commune_lists=self._commune_lists
            ) as store:
                states = {c.code: store.ledger_of(c.code).state for c in store.campaigns()}
            self._states[path] = (signature, states)
            return states

    def campaigns(self) -> tuple[Campaign, ...]:
        """The campaigns of each file (parents first), in the order the files were given.

        Raises:
            LedgerError: a file cannot be read, or two files hold the same campaign code.
        """
        found = [state.campaign for p in self._locations for state in self._states_of(p).values()]
        codes = [c.code for c in found]
        if len(set(codes)) != len(codes):
            twice = sorted({c for c in codes if codes.count(c) > 1})
            raise LedgerError(f"campaign codes {', '.join(twice)} are held by more than one store file")
        return tuple(found)

    def state(self, code: str) -> LedgerState | None:
        """The state of the file holding campaign *code*, or ``None``.

        Raises:
            LedgerError: a file cannot be read.
        """
        for path in self._locations:
            state = self._states_of(path).get(code)
            if state is not None:
                return state
        return None

    def close(self) -> None:
        """Close the connections kept to database servers (they are opened again when next read)."""
        with self._lock:
            for store in self._servers.values():
                store.close()
            self._servers.clear()

    def __repr__(self) -> str:
        return f"SqliteCampaigns({[str(p) for p in self._locations]!r})"


def open_campaign_source(
    locations: Iterable[str | os.PathLike[str]],
    *,
    law: Law | None = None,
    local_supports: Sequence[LocalSupport] = (),
    commune_lists: Sequence[CommuneList] = (),
) -> SqliteCampaigns:
    """A :class:`SqliteCampaigns` over the stores ``--store`` names (paths, ``sqlite:///`` or ``postgresql://`` URLs).

    Raises:
        InvalidValueError: an unknown URL scheme, or a file that does not exist.
    """
    return SqliteCampaigns(locations, law=law, local_supports=local_supports, commune_lists=commune_lists)
