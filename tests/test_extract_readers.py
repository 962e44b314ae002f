"""Document readers: one test per input kind (HTML, PDF, text, Markdown, URL header, folder),
spans that point into the text that was read, and the folder run of `maillage extract`. The
documents are written here for the tests (general French), PDFs byte by byte (pdf_maker)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from maillage.cli import app
from maillage.extract.batch import extract_path
from maillage.extract.readers import read_document
from maillage.extract.readers.document import blank_header
from maillage.extract.readers.pdf import join_lines
from pdf_maker import make_pdf, one_column, two_columns

PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Le garage solidaire ouvre ses portes | Ville de Montreuil-Bellay</title>
<link rel="canonical" href="https://www.example.fr/actualites/garage-solidaire"></head>
<body><header><nav><ul><li><a href="/">Accueil</a></li><li><a href="/actu">Actualités</a></li>
<li><a href="/compte">Se connecter</a></li></ul></nav></header>
<main><article><h1>Le garage solidaire ouvre ses portes</h1>
<p>Le garage solidaire, porté par l'association Roue Libre, a reçu une subvention de 45 000 € du
Département de Maine-et-Loire. La Fondation Macif a aussi soutenu le projet.</p>
<p>Les bénévoles accueillent les habitants du quartier depuis mars 2023, en partenariat avec la
Mission locale du Saumurois.</p></article></main>
<footer>Mentions légales — Plan du site — Ville de Montreuil-Bellay</footer></body></html>"""


def funders(draft) -> dict[str, float | None]:
    names = {o.key: o.name for o in draft.organisations}
    return {names[k]: f.amount_eur for f in draft.fundings for k in f.funders}


def assert_spans_point_into(draft, text: str) -> None:
    for o in draft.organisations:
        for s, e in o.spans:
            assert 0 <= s < e <= len(text)
    for f in draft.fundings:
        for s, e in f.spans:
            assert 0 <= s < e <= len(text)


def test_html_page_main_text_without_navigation(tmp_path):
    page = tmp_path / "garage.html"
    page.write_text(PAGE, encoding="utf-8")
    doc = read_document(page)
    assert doc.kind == "html" and doc.url == "https://www.example.fr/actualites/garage-solidaire"
    assert doc.text.startswith("Le garage solidaire ouvre ses portes\n")
    assert "45 000 €" in doc.text and "Mission locale du Saumurois" in doc.text
    for nav in ("Accueil", "Se connecter", "Mentions légales", "Plan du site"):
        assert nav not in doc.text
    out = extract_path(page, link=False)
    assert out.ok and out.draft.url == doc.url and out.draft.document["kind"] == "html"
    assert funders(out.draft).get("Département de Maine-et-Loire") == 45_000
    assert_spans_point_into(out.draft, doc.text)
    s, e = out.draft.fundings[0].spans[0]
    assert "45 000" in doc.text[s:e] or "Département" in doc.text[s:e]


def test_pdf_two_columns_and_words_cut_at_line_ends(tmp_path):
    pdf = make_pdf(tmp_path / "rapport.pdf", [two_columns(
        ["L'association Roue Libre a reçu une", "subvention de 45 000 € du Départe-", "ment de Maine-et-Loire pour finan-",
         "cer son atelier de réparation."],
        ["La Fondation Macif a aussi soutenu le", "projet, mené en partenariat avec la", "Mission locale du Saumurois."]),
        one_column(["Le garage est ouvert à Saint-", "Étienne depuis mars 2023."])])
    doc = read_document(pdf)
    assert doc.kind == "pdf"
    left, right, page2 = doc.text.split("\n")[:3]
    assert left == ("L'association Roue Libre a reçu une subvention de 45 000 € du Département de "
                    "Maine-et-Loire pour financer son atelier de réparation.")
    assert right.startswith("La Fondation Macif a aussi soutenu le projet")
    assert "Saint-Étienne" in doc.text
    assert [s.page for s in doc.segments] == [1, 1, 2]
    seg = doc.where(doc.text.index("Macif"))
    assert seg is not None and seg.page == 1
    out = extract_path(pdf, link=False)
    assert out.ok and funders(out.draft).get("Département de Maine-et-Loire") == 45_000
    assert_spans_point_into(out.draft, doc.text)


def test_join_lines_keeps_hyphens_before_capitals_and_drops_soft_hyphens():
    assert join_lines(["la commu-\n", "nauté de com-", "munes"]) == "la communauté de communes"
    assert join_lines(["Aix-en-", "Provence et Saint-", "Étienne"]) == "Aix-en-Provence et Saint-Étienne"
    assert join_lines(["inser\u00ad", "tion"]) == "insertion"


def test_text_file_with_url_first_line(tmp_path):
    text = ("https://www.example.org/epicerie-solidaire\n\nL'épicerie solidaire de Bressuire\n\n"
            "Le CCAS de Bressuire finance l'épicerie solidaire à hauteur de 12 000 € par an.\n")
    f = tmp_path / "epicerie.txt"
    f.write_text(text, encoding="utf-8")
    doc = read_document(f)
    assert doc.url == "https://www.example.org/epicerie-solidaire"
    assert len(doc.text) == len(text) and doc.text.index("L'épicerie") == text.index("L'épicerie")
    out = extract_path(f, link=False)
    assert out.ok and out.draft.url == doc.url
    assert all("example.org" not in i.name and "http" not in i.name for i in out.draft.initiatives)
    assert_spans_point_into(out.draft, text)   # the identity map: spans index the file's text too


@pytest.mark.parametrize("header", ["SOURCE: https://www.example.org/p?id=3", "Source : <https://www.example.org/p?id=3>",
                                    "<!-- SOURCE: https://www.example.org/p?id=3 -->"])
def test_source_header_becomes_the_url_never_an_initiative(header):
    text = f"{header}\nAccueil > Actualités > Emploi\nObservatoire\n\nLe chantier d'insertion de Thouars\nSuite du texte."
    read, url, blanked = blank_header(text)
    assert url == "https://www.example.org/p?id=3"
    assert len(read) == len(text)
    assert read.lstrip().startswith("Le chantier d'insertion de Thouars")
    assert blanked == [header, "Accueil > Actualités > Emploi", "Observatoire"]


def test_a_title_with_a_site_suffix_is_not_blanked():
    read, url, blanked = blank_header("Le garage solidaire ouvre | Ville de Thouars\nTexte.")
    assert blanked == [] and url is None and read.startswith("Le garage solidaire ouvre")


def test_markdown_fiche(tmp_path):
    md = tmp_path / "fiche.md"
    md.write_text("SOURCE: https://www.example.org/fiche-12\n\n# Mobil'Emploi Vendée\n\n"
                  "**Pilote :** Association Mobil'Emploi\n\n**Partenaires :** Département de la Vendée, "
                  "Pôle emploi\n\n**Coût total :** 120 000 €\n", encoding="utf-8")
    doc = read_document(md)
    assert doc.kind == "markdown" and doc.url == "https://www.example.org/fiche-12"
    out = extract_path(md, link=False)
    assert out.ok and out.draft.url == doc.url
    assert [i.name for i in out.draft.initiatives] == ["Mobil'Emploi Vendée"]


def test_windows_1252_text_is_read_with_a_warning(tmp_path):
    f = tmp_path / "ancien.txt"
    f.write_bytes("Le Conseil départemental a financé l’épicerie à hauteur de 20 000 €.".encode("cp1252"))
    doc = read_document(f)
    assert "départemental" in doc.text and "20 000 €" in doc.text
    assert any("Windows-1252" in w for w in doc.warnings)


def test_folder_run_drafts_good_files_and_lists_bad_ones(tmp_path):
    src = tmp_path / "docs"
    src.mkdir()
    (src / "garage.html").write_text(PAGE, encoding="utf-8")
    make_pdf(src / "rapport.pdf", [one_column(["Le Département de la Vienne a accordé 30 000 € à",
                                               "l'association Roue Libre."])])
    (src / "note.txt").write_text("SOURCE: https://example.org/n\nLa Région finance le chantier.\n", encoding="utf-8")
    (src / "vide.txt").write_text("", encoding="utf-8")
    (src / "scan.pdf").write_bytes(make_pdf(tmp_path / "s.pdf", [None, None]).read_bytes())
    out = tmp_path / "drafts"
    result = CliRunner().invoke(app, ["extract", str(src), "-o", str(out), "--no-link"])
    assert result.exit_code == 1, result.output
    assert "3 of 5 document(s) drafted" in result.output
    assert f"{src / 'vide.txt'}: the file is empty" in result.output
    assert f"{src / 'scan.pdf'}: a PDF of 2 page(s) with no text layer" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["garage.txt", "garage.yaml", "note.yaml", "rapport.txt", "rapport.yaml"]
    draft = (out / "garage.yaml").read_text(encoding="utf-8")
    assert "  file: garage.txt" in draft and "  url: 'https://www.example.fr/actualites/garage-solidaire'" in draft
    assert "  url: 'https://example.org/n'" in (out / "note.yaml").read_text(encoding="utf-8")


def test_single_file_writes_the_read_text_on_request(tmp_path):
    page = tmp_path / "garage.html"
    page.write_text(PAGE, encoding="utf-8")
    text = tmp_path / "garage.txt"
    result = CliRunner().invoke(app, ["extract", str(page), "--no-link", "--format", "json", "--text", str(text)])
    assert result.exit_code == 0, result.output
    assert text.read_text(encoding="utf-8").startswith("Le garage solidaire ouvre ses portes")
    assert '"url": "https://www.example.fr/actualites/garage-solidaire"' in result.stdout
