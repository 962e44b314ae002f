"""Regression: `maillage similar 'https://exemple.org/a b>'` (and `years --funder …`) ended in a
traceback and /semblables, /annees answered 500: a URI-looking value went unchecked to the store,
which refused it in English. The query layer now refuses an IRI the store would not take."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

from maillage import query
from maillage.cli import app
from maillage.store import terms


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_the_query_layer_refuses_exactly_what_the_store_refuses(tail):
    value = "https://exemple.org/" + tail.strip()     # the query layer strips what the user typed
    if terms.valid_iri(value):
        terms.iri(value)          # no ValueError
    else:
        with pytest.raises(ValueError):
            terms.iri(value)
        with pytest.raises(query.QueryError):
            query.resolve(None, query.Param("initiative", "initiative", True, "", "initiative"), value)


def test_a_bad_iri_is_refused_in_french_by_the_query_layer(store):
    param = query.Param("initiative", "initiative", True, "", "initiative")
    with pytest.raises(query.QueryError) as caught:
        query.resolve(store, param, "https://exemple.org/a b>")
    assert caught.value.fr == "« https://exemple.org/a b> » n'est pas une IRI valable"


@pytest.mark.parametrize("args", [["similar", "https://exemple.org/a b>"], ["years", "--funder", "https://exemple.org/a b>"]])
def test_the_commands_say_it_without_a_traceback(built, args):
    r = CliRunner().invoke(app, ["--store", str(built.store_dir), "--data", str(built.data_dir), *args])
    assert r.exit_code != 0 and r.exception is None or isinstance(r.exception, SystemExit)
    assert "n'est pas une IRI valable" in r.output       # these two commands speak French (fec8a22)
    assert "Traceback" not in r.output
