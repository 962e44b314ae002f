"""Regressions of the store: how a built graph is written and read."""

from __future__ import annotations

import pyoxigraph as ox


class _Recording:
    """A pyoxigraph Store that notes each optimize() in ``log`` (no reference cycle: deleting
    it releases the store's lock at once, as the code under test expects)."""

    def __init__(self, store, log):
        self._store, self._log = store, log

    def __getattr__(self, name):
        if name == "optimize":
            self._log.append(name)
        return getattr(self._store, name)


class _CountingOx:
    """pyoxigraph, except that each Store records whether it was compacted (optimize())."""

    def __init__(self):
        self.compacted: list[str] = []

    def __getattr__(self, name):
        return getattr(ox, name)

    def Store(self, *args, **kwargs):  # noqa: N802 - stands in for pyoxigraph.Store
        return _Recording(ox.Store(*args, **kwargs), self.compacted)


def test_a_written_store_is_compacted_before_it_is_opened_read_only(tmp_path, monkeypatch):
    """Regression: a store bulk-loaded and then only ever opened read-only was never compacted
    (RocksDB merges files in the background of a read-write session only): at 5 M triples every
    query was 2–4× slower than on a freshly loaded store."""
    import maillage.store.oxigraph as store_module

    fake = _CountingOx()
    monkeypatch.setattr(store_module, "ox", fake)
    nquads = b'<https://example.org/s> <https://example.org/p> "o" <https://example.org/g> .\n'
    store_module.write_store(tmp_path / "store", nquads, {"test": True})
    assert len(fake.compacted) == 1
    store_module.update_store(tmp_path / "store", {"https://example.org/g": b'<https://example.org/s> <https://example.org/p> "o2" .\n'},
                              [], {"test": True})
    assert len(fake.compacted) == 2
    monkeypatch.undo()
    got = {str(q.object) for q in ox.Store.read_only(str(tmp_path / "store"))}
    assert got == {'"o2"'}
