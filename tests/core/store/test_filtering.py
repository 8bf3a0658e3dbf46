"""`select_ids` over a real store: the answers of `matches_capture`, reading only what it must."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hookscope.core.filters import FilterCancelledError, compile_filter
from hookscope.core.store import Store
from hookscope.core.store.filtering import select_ids
from tests.core.filters.cases import CASES
from tests.core.filters.corpus import EVENT_TYPES, NAMES, corpus
from tests.helpers import wait_for

ID = {name: number for number, name in enumerate(NAMES, start=1)}


def _open_store(path: Path) -> Store:
    store = Store.open(path)
    store.add_many(corpus())
    wait_for(lambda: _underived(store) == 0)  # the writer derives event types when idle
    return store


def _underived(store: Store) -> int:
    with sqlite3.connect(store.path) as db:
        count: int = db.execute(
            "SELECT COUNT(*) FROM captures WHERE event_type IS NULL"
        ).fetchone()[0]
    return count


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    opened = _open_store(tmp_path_factory.mktemp("filters") / "c.db")
    yield opened
    opened.close()


def _expected_ids(store: Store, query: str) -> list[int]:
    """What matches_capture says about the captures as they come back from the store."""
    capture_filter = compile_filter(query)
    return [c.id for c in store.iter_captures() if c.id and capture_filter.matches_capture(c)]


def test_the_store_derived_the_event_types_the_cases_assume(store: Store) -> None:
    types = {s.id: s.event_type for s in store.all_summaries()}
    assert types == {ID[name]: EVENT_TYPES.get(name, "") for name in NAMES}


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[query for query, _ in CASES])
def test_bulk_agrees_with_matches_capture(
    store: Store, query: str, expected: frozenset[str]
) -> None:
    selected = select_ids(store, compile_filter(query), store.all_summaries())
    assert selected == _expected_ids(store, query)
    assert selected == sorted(ID[name] for name in expected)


def test_ids_come_back_in_the_order_of_the_summaries_given(store: Store) -> None:
    newest_first = store.summaries(newest_first=True)
    selected = select_ids(store, compile_filter("hooks"), newest_first)
    assert selected == sorted(selected, reverse=True)
    assert len(selected) == 8


def test_empty_summaries_give_nothing(store: Store) -> None:
    assert select_ids(store, compile_filter("body:x"), []) == []


@pytest.fixture
def body_reads(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The location of every body the store is asked for, in order."""
    locations: list[int] = []
    read = store.bodies.read

    def counting(location: int, length: int) -> bytes:
        locations.append(location)
        return read(location, length)

    monkeypatch.setattr(store.bodies, "read", counting)
    return locations


@pytest.mark.parametrize(
    ("query", "reads"),
    [
        ("method:GET status:404 type:push -is:starred", 0),  # summaries decide
        ("header:x-github-event OR header:x-dup=two", 0),  # headers decide
        ("status:>=400 body:declined", 2),  # only shopify and rejected: plain has no body
        ("method:POST OR body:declined", 1),  # only the PUT (form); GET and DELETE are empty
        ("stripe", 8),  # two paths say "stripe"; two more bodies are empty
        ("json:$.ref header:x-github-event", 1),  # header first, whatever the order typed
    ],
)
def test_bodies_are_read_only_where_cheaper_terms_did_not_decide(
    store: Store, body_reads: list[int], query: str, reads: int
) -> None:
    expected = _expected_ids(store, query)
    body_reads.clear()
    assert select_ids(store, compile_filter(query), store.all_summaries()) == expected
    assert len(body_reads) == reads
    assert body_reads == sorted(body_reads)  # bodies are appended in id order: read in id order


def test_types_the_store_has_not_derived_yet_are_derived_on_the_fly(tmp_path: Path) -> None:
    with _open_store(tmp_path / "c.db") as store:
        with sqlite3.connect(store.path) as db:  # as if the writer had not been idle yet
            db.execute("UPDATE captures SET event_type = NULL, content_type = NULL")
        summaries = store.all_summaries()
        assert not any(s.event_type for s in summaries)
        for query in (
            "type:push",
            "type:*.*",
            'type:""',
            "-type:orders/* method:POST",
            "status:404",
        ):
            assert select_ids(store, compile_filter(query), summaries) == _expected_ids(
                store, query
            )
        assert select_ids(store, compile_filter("type:push"), summaries) == [ID["github"]]


def test_captures_deleted_since_the_summaries_were_read_do_not_match(tmp_path: Path) -> None:
    with _open_store(tmp_path / "c.db") as store:
        summaries = store.all_summaries()
        store.delete([ID["github"]])
        assert select_ids(store, compile_filter("body:refs"), summaries) == []
        assert select_ids(store, compile_filter("json:$.amount"), summaries) == [
            ID["stripe"],
            ID["rejected"],
        ]


def _cancel_after(calls: int) -> Callable[[], bool]:
    count = iter(range(calls))
    return lambda: next(count, None) is None


@pytest.mark.parametrize("query", ["method:GET", "header:x-dup", "body:x", "type:push OR needle"])
def test_cancel_stops_the_selection(store: Store, query: str) -> None:
    with pytest.raises(FilterCancelledError):
        select_ids(store, compile_filter(query), store.all_summaries(), cancel=lambda: True)


def test_cancel_is_polled_while_bodies_are_read(store: Store, body_reads: list[int]) -> None:
    with pytest.raises(FilterCancelledError):
        select_ids(store, compile_filter("body:x"), store.all_summaries(), cancel=_cancel_after(4))
    assert 0 < len(body_reads) < 8


def test_runs_on_several_worker_threads_at_once(store: Store) -> None:
    queries = [query for query, _ in CASES] * 3
    summaries = store.all_summaries()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda q: select_ids(store, compile_filter(q), summaries), queries))
    assert results == [_expected_ids(store, query) for query in queries]


_TERMS = st.sampled_from([query for query, _ in CASES if query.strip()])


@st.composite
def _combined(draw: st.DrawFn, depth: int = 0) -> str:
    if depth >= 3 or draw(st.booleans()):
        return draw(_TERMS)
    left = draw(_combined(depth + 1))
    right = draw(_combined(depth + 1))
    joined = f"({left}) {draw(st.sampled_from(['', 'AND ', 'OR ', 'or -']))}({right})"
    return f"NOT ({joined})" if draw(st.booleans()) else joined


@settings(max_examples=150, deadline=None)
@given(query=_combined())
def test_bulk_agrees_with_matches_capture_on_random_combinations(store: Store, query: str) -> None:
    selected = select_ids(store, compile_filter(query), store.all_summaries())
    assert selected == _expected_ids(store, query)
