"""`maillage bench-extract` measures the extractor's speed targets (never asserted here)."""

from __future__ import annotations

from benchmarks import extraction


def test_bench_extract_measures_each_document_and_states_its_targets(tmp_path):
    (tmp_path / "a.txt").write_text("Le garage solidaire est financé par la Région Bretagne (20 000 €).\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("L'épicerie sociale travaille en partenariat avec le CCAS de Rennes.\n", encoding="utf-8")
    r = extraction.run([tmp_path], batch=0)
    assert r.documents == 2 and r.batch_s is None
    assert 0 < r.median_s <= r.max_s and r.slowest in {"a.txt", "b.txt"}
    assert [t["target"] for t in r.targets] == ["each document under 2 s once the models are loaded"]
    assert r.targets[0]["met"] == (r.max_s < 2.0)


def test_bench_extract_never_reads_the_unmeasured_blind_set():
    assert all(f.name not in ("blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8") for f in extraction.DEFAULT_FOLDERS)
