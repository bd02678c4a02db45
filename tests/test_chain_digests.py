"""The store's digests are BLAKE2b as the chain's documentation spells it out, whatever the row."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from ansinh.io.store._chain import digests, genesis, link
from ansinh.io.store._codec import body_digest, digest

texts = st.text(max_size=80)
audits = st.tuples(st.none() | texts, st.none() | texts, st.none() | texts, texts)


def _field(value: str | None) -> str:
    return "-" if value is None else f"{len(value)}:{value}"


@given(texts)
def test_a_body_digest_is_8_bytes_of_blake2b_of_its_utf8(body: str) -> None:
    expected = hashlib.blake2b(body.encode("utf-8"), digest_size=8).digest()
    assert digest(body) == body_digest(body.encode("utf-8")) == expected


@given(
    code=texts.filter(str.strip), row=st.tuples(texts, texts, texts, texts), audit=audits, n=st.integers(1, 3)
)
def test_a_chain_digest_is_blake2b_of_the_previous_one_and_the_length_prefixed_row(
    code: str, row: tuple[str, str, str, str], audit: tuple[str | None, str | None, str | None, str], n: int
) -> None:
    prev = genesis(code)
    for _ in range(n):  # a chain of the same row: each link starts from the last
        event_id, kind, on, body = row
        data = body.encode("utf-8")
        head = "".join(f"{len(v)}:{v}" for v in (code, event_id, kind, on)) + "".join(map(_field, audit))
        expected = hashlib.blake2b(prev + f"{head}{len(data)}:".encode() + data, digest_size=16).digest()
        body_hash, chained = digests(prev, code, row, audit)
        assert (body_hash, chained) == (digest(body), expected)
        assert link(prev, code, row, audit) == chained
        prev = chained
