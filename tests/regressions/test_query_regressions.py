"""Regressions of the canned queries."""

from __future__ import annotations

from maillage import query as queries


def test_an_initiative_without_pilot_or_theme_is_listed_on_both_backends(tmp_path, data_copy):
    """Regression: rdflib's GROUP_CONCAT failed ("pilotName is not bound") on such an initiative."""
    from maillage.build import build
    from maillage.config import Settings
    from maillage.store import open_store

    doc = data_copy / "003_51a5ec4ebfa4ed0e.yaml"
    text = doc.read_text(encoding="utf-8")
    start = text.index("participations:")
    end = text.index("fundings:")
    text = text[:start] + text[end:]  # no pilot any more
    text = text.replace("    themes: [insertion-professionnelle, emploi, aller-vers, acces-aux-droits, numerique, lien-social, mobilite, politique-de-la-ville]\n", "")
    doc.write_text(text, encoding="utf-8")
    settings = Settings(data_dir=data_copy, store_dir=tmp_path / "store")
    build(settings)
    for backend in ("oxigraph", "rdflib"):
        got = queries.run(open_store(settings.store_dir, backend), "initiatives-in", {"territory": "Hauts-de-France"}).rows
        bus = next(r for r in got if r["initiative"].startswith("Bus de l'emploi"))
        assert bus["pilots"] is None and bus["themes"] is None, backend
