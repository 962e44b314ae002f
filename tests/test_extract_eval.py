"""The extraction evaluation: set matching on hand-made gold/draft pairs, the gold read from
records split over several files, the `eval-extract` command, and the real corpus measured
through the real pipeline (fiche documents through the fiche reader, prose through the prose
reader) with the targets of issue 4 that are met asserted."""

from __future__ import annotations

import json
import textwrap
import time

import pytest
from hypothesis import given, strategies as st
from typer.testing import CliRunner

from maillage.extract.evaluate import CATEGORIES, Item, Sets, compare, evaluate, gold_sets, match_sets, match_values, name_score
from maillage.extract.model import Draft, DraftFunding, DraftInitiative, DraftOrganisation, DraftPartnership


def gold_example() -> Sets:
    nova = Item("Fondation Nova", ["Fondation Nova"], "fondation-nova")
    msa = Item("Mutualité sociale agricole (MSA)", ["Mutualité sociale agricole (MSA)"], "msa")
    return Sets(
        initiatives=[Item("Jardin du Pré", ["Jardin du Pré", "Le Jardin"], "jardin")],
        pilots=[Item("Jardin Nova", ["Jardin Nova"], "jardin-nova")],
        funders=[nova, msa],
        pairs=[(nova, 12000.0), (msa, 2500.0)],
        partners=[Item("Ville de Dax", ["Ville de Dax", "Mairie de Dax"], "ville-dax")],
        territories={"com:40088", "dep:40"},
    )


def draft_example() -> Draft:
    return Draft(
        file="x.txt",
        organisations=[DraftOrganisation("nova", "Fondation Nova"), DraftOrganisation("msa", "MSA"),
                       DraftOrganisation("jn", "Jardin Nova"),
                       DraftOrganisation("dax", "Mairie de Dax", territory="com:40088")],
        initiatives=[DraftInitiative("jardin", "Le Jardin du Pré", pilots=["jn"], territories=["dep:40"])],
        fundings=[DraftFunding(["nova"], "jardin", 12000.0), DraftFunding(["msa"], "jardin", 2500.0)],
        partnerships=[DraftPartnership("jardin", "dax", "client")],
    )


def test_perfect_draft_scores_one_everywhere():
    scores = compare(draft_example(), gold_example())
    for c in CATEGORIES:
        assert (scores[c].precision, scores[c].recall, scores[c].f1) == (1.0, 1.0, 1.0), c


def test_empty_draft_has_recall_zero_and_precision_one():
    scores = compare(Draft(file="x.txt"), gold_example())
    for c in CATEGORIES:
        assert scores[c].recall == 0.0 and scores[c].precision == 1.0 and scores[c].f1 == 0.0


def test_empty_gold_has_recall_one_and_drafted_items_are_false_positives():
    empty = Sets(territories=set())
    scores = compare(draft_example(), empty)
    assert scores["funders"].recall == 1.0 and scores["funders"].precision == 0.0
    assert scores["amounts"].n_draft == 2 and scores["amounts"].tp == 0


def test_duplicate_funder_is_not_double_counted():
    d = draft_example()
    d.organisations.append(DraftOrganisation("nova-2", "la Fondation Nova"))
    d.fundings.append(DraftFunding(["nova-2"], "jardin", None))
    s = compare(d, gold_example())["funders"]
    assert (s.tp, s.n_draft, s.n_gold) == (2, 2, 2)


def test_an_unknown_funder_is_a_false_positive_once():
    d = draft_example()
    d.organisations += [DraftOrganisation("x1", "Banque Zeta"), DraftOrganisation("x2", "Banque Zeta")]
    d.fundings += [DraftFunding(["x1"], "jardin"), DraftFunding(["x2"], "jardin")]
    s = compare(d, gold_example())["funders"]
    assert (s.tp, s.n_draft) == (2, 3) and s.spurious == ["Banque Zeta"]


def test_linked_to_matches_whatever_the_name():
    d = draft_example()
    d.organisations[0] = DraftOrganisation("nova", "FN", linked_to="fondation-nova")
    assert compare(d, gold_example())["funders"].recall == 1.0


def test_amounts_are_exact():
    d = draft_example()
    d.fundings[0].amount_eur = 12000.5
    s = compare(d, gold_example())["amounts"]
    assert (s.tp, s.n_draft, s.missed) == (1, 2, ["12000.0"])
    t = compare(d, gold_example())["tied"]
    assert (t.tp, t.n_draft, t.missed) == (1, 2, ["Fondation Nova: 12000"])


def test_an_amount_tied_to_the_wrong_funder_is_not_tied():
    d = draft_example()
    d.fundings = [DraftFunding(["nova"], "jardin", 2500.0), DraftFunding(["msa"], "jardin", 12000.0)]
    scores = compare(d, gold_example())
    assert scores["amounts"].recall == 1.0 and scores["tied"].tp == 0


def test_a_joint_funding_ties_its_amount_to_each_funder():
    d = draft_example()
    d.fundings = [DraftFunding(["nova", "msa"], "jardin", 12000.0)]
    g = gold_example()
    g.pairs = [(g.funders[0], 12000.0), (g.funders[1], 12000.0)]
    assert compare(d, g)["tied"].recall == 1.0


def test_a_partner_that_is_a_gold_funder_is_no_false_positive():
    d = draft_example()
    d.partnerships.append(DraftPartnership("jardin", "nova", "partenaire"))
    s = compare(d, gold_example())["partners"]
    assert (s.tp, s.n_draft) == (1, 1)


def test_real_gold_format_is_read():
    from maillage.extract.evaluate import gold_from_yaml

    g = gold_from_yaml({"initiatives": ["Jardin du Pré"], "pilots": ["Jardin Nova"],
                        "funders": [{"name": "Fondation Nova", "aliases": ["FN"], "amount_eur": 12000, "joint": True},
                                    {"name": "Ville de Dax", "amount_eur": None}],
                        "partners": [{"name": "CAF des Landes", "aliases": ["CAF"]}]})
    assert [f.label for f in g.funders] == ["Fondation Nova", "Ville de Dax"]
    assert g.amounts == {12000.0} and g.territories is None
    assert g.partners[0].names == ["CAF des Landes", "CAF"]


def test_pilots_are_not_partners():
    d = draft_example()
    d.partnerships = [DraftPartnership("jardin", "dax", "pilote")]
    assert compare(d, gold_example())["partners"].n_draft == 0


def test_name_score_uses_acronyms_and_distinctive_words():
    assert name_score(["MSA"], ["Mutualité sociale agricole (MSA)"]) == 100.0
    assert name_score(["Communauté de communes Terres du Lac"], ["Communauté de communes Terres du Lac et Forêts"]) >= 88
    assert name_score(["Région"], ["Région Bretagne"]) < 88
    assert name_score(["Fondation Nova"], ["Fondation Orion"]) < 88


def test_one_draft_item_cannot_match_two_gold_items():
    gold = [Item("Atelier A", ["Atelier Bois Vert"]), Item("Atelier B", ["Atelier Bois Vert"])]
    s = match_sets([Item("Atelier Bois Vert", ["Atelier Bois Vert"])], gold)
    assert (s.tp, s.n_gold) == (1, 2)


@given(st.sets(st.integers(0, 30)), st.sets(st.integers(0, 30)))
def test_value_scores_are_bounded_and_consistent(d, g):
    s = match_values(d, g)
    assert 0.0 <= s.precision <= 1.0 and 0.0 <= s.recall <= 1.0 and 0.0 <= s.f1 <= 1.0
    assert s.tp == len(d & g) <= min(s.n_draft, s.n_gold)
    total = s + match_values(g, d)
    assert total.tp == 2 * s.tp


@given(st.lists(st.sampled_from(["Fondation Nova", "Ville de Dax", "Secours populaire", "MSA",
                                 "Banque Zeta", "Région Bretagne"]), max_size=8))
def test_name_sets_never_exceed_their_counts(picked):
    gold = [Item(n, [n], n) for n in ["Fondation Nova", "Ville de Dax", "MSA"]]
    s = match_sets([Item(n, [n]) for n in picked], gold)
    assert s.tp <= min(s.n_draft, s.n_gold)
    assert s.n_draft <= len(set(picked))


# ---------------------------------------------------------------- the gold of split records

def test_gold_merges_the_parts_of_one_document(tmp_path):
    from maillage.build import vocabulary_for_records
    from maillage.loaders.records import load_records

    (tmp_path / "010_x.a.yaml").write_text(textwrap.dedent("""
        document: {file: 010_x.txt, title: Première partie, kind: catalogue}
        organisations:
          - {id: nova, name: Fondation Nova, kind: FONDATION, source: [0, 5]}
          - {id: dax, name: Ville de Dax, kind: MUNI, territory: "com:40088", source: [0, 5]}
        initiatives:
          - {id: jardin, name: Jardin du Pré, territories: ["dep:40"], source: [0, 5]}
        participations:
          - {initiative: jardin, organisation: dax, role: pilote, source: [0, 5]}
        fundings:
          - {funder: nova, initiative: jardin, amount_eur: 12000, source: [0, 5]}
        """), encoding="utf-8")
    (tmp_path / "010_x.b.yaml").write_text(textwrap.dedent("""
        document: {file: 010_x.txt, title: Seconde partie, kind: catalogue}
        organisations:
          - {id: caf, name: CAF des Landes, kind: CAF, source: [6, 9]}
        initiatives:
          - {id: velo, name: Vélo pour tous, source: [6, 9]}
        participations:
          - {initiative: velo, organisation: caf, role: partenaire, source: [6, 9]}
          - {initiative: velo, organisation: dax, role: client, source: [6, 9]}
        """), encoding="utf-8")
    rs = load_records(tmp_path, vocabulary_for_records())
    g = gold_sets(rs, "010_x.txt")
    assert {i.label for i in g.initiatives} == {"Jardin du Pré", "Vélo pour tous"}
    assert [f.ident for f in g.funders] == ["nova"] and g.amounts == {12000.0}
    assert {p.ident for p in g.partners} == {"caf", "dax"}     # the pilot role is not a partner
    assert [p.ident for p in g.pilots] == ["dax"]
    assert g.territories == {"dep:40", "com:40088"}
    assert gold_sets(rs, "011_other.txt").funders == []


# ---------------------------------------------------------------- the command

def test_eval_extract_says_when_the_corpus_is_missing(tmp_path):
    from maillage.cli import app

    result = CliRunner().invoke(app, ["eval-extract", "--corpus", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "corpus not found" in result.output


@pytest.mark.corpus
def test_eval_extract_rejects_unknown_document_and_link_mode(corpus_dir):
    from maillage.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["eval-extract", "--corpus", str(corpus_dir), "--doc", "999"])
    assert result.exit_code == 2 and "matches 999" in result.output
    result = runner.invoke(app, ["eval-extract", "--corpus", str(corpus_dir), "--link", "bogus"])
    assert result.exit_code == 2 and "fair | all | none" in result.output


@pytest.mark.corpus
def test_eval_extract_json_for_one_document(corpus_dir):
    from maillage.cli import app

    result = CliRunner().invoke(app, ["eval-extract", "--corpus", str(corpus_dir), "--doc", "000", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["file"] for d in data["documents"]] == [next(corpus_dir.glob("000_*.txt")).name]
    assert data["documents"][0]["reader"] == "prose"
    assert set(data["overall"]) == set(CATEGORIES)
    assert data["overall"]["amounts"]["gold"] >= 1


@pytest.mark.corpus
def test_eval_extract_table(corpus_dir):
    from maillage.cli import app

    result = CliRunner().invoke(app, ["eval-extract", "--corpus", str(corpus_dir), "--doc", "000"])
    assert result.exit_code == 0, result.output
    assert "overall" in result.output and "funders" in result.output and "precision" in result.output


# ---------------------------------------------------------------- the real corpus

@pytest.fixture(scope="module")
def corpus_eval(corpus_dir):
    from maillage.build import read_records
    from maillage.config import Settings

    start = time.perf_counter()
    result = evaluate(corpus_dir, read_records(Settings()))
    return result, time.perf_counter() - start


def _doc(result, prefix):
    return next(d for d in result.documents if d.file.startswith(prefix))


@pytest.mark.corpus
def test_readers_chosen_per_document(corpus_eval):
    result, _ = corpus_eval
    assert {d.file[:3]: d.reader for d in result.documents} == {
        "000": "prose", "001": "prose", "002": "fiche", "003": "fiche", "004": "prose"}


@pytest.mark.corpus
def test_fiche_documents_funders_and_amounts(corpus_eval):
    """Target: recall ≥ 0.9 and precision ≥ 0.85 for funders and amounts on the fiches.
    Measured at the last change: 002 funders P 0.90 R 1.00, amounts P 1.00 R 1.00 (6/6);
    003 funders P 1.00 R 1.00 (4/4), no amount curated."""
    result, _ = corpus_eval
    for prefix in ("002", "003"):
        d = _doc(result, prefix)
        for c in ("funders", "amounts"):
            s = d.scores[c]
            assert s.recall >= 0.9 and s.precision >= 0.85, (prefix, c, s.to_dict())


@pytest.mark.corpus
def test_narrative_documents_funders_and_amounts_recall(corpus_eval):
    """Target: recall ≥ 0.75 on the narrative documents. Measured at the last change (links
    against the other documents' records): 000 funders 1.00 (6/6), amounts 1.00 (5/5); 004
    funders 1.00 (15/15), precision 1.00; 001 has no funding (vacuous 1.0)."""
    result, _ = corpus_eval
    for prefix in ("000", "001", "004"):
        d = _doc(result, prefix)
        for c in ("funders", "amounts"):
            assert d.scores[c].recall >= 0.75, (prefix, c, d.scores[c].to_dict())
    assert _doc(result, "000").scores["funders"].precision >= 0.85


@pytest.mark.corpus
def test_narrative_funders_do_not_need_the_linker(corpus_dir):
    """The prose reader's funders by their names alone (no linking): same targets."""
    from maillage.build import read_records
    from maillage.config import Settings

    result = evaluate(corpus_dir, read_records(Settings()), ["000", "004"], link="none")
    for d in result.documents:
        assert d.scores["funders"].recall >= 0.75, (d.file, d.scores["funders"].to_dict())
        assert d.scores["amounts"].recall >= 0.75, (d.file, d.scores["amounts"].to_dict())


@pytest.mark.corpus
def test_whole_corpus_is_extracted_in_bounded_time(corpus_eval):
    # a hang guard; the per-document speed target is measured by `maillage bench`
    result, _ = corpus_eval
    assert result.seconds < 300, result.seconds


def test_eval_extract_on_an_annotated_set():
    from maillage.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["eval-extract", "--set", "unseen", "--doc", "article_chantier_anduze", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["set"] == "unseen" and len(data["documents"]) == 1
    assert {"funders", "tied", "partners", "pilots"} <= set(data["overall"])
    result = runner.invoke(app, ["eval-extract", "--set", "nowhere"])
    assert result.exit_code == 2 and "real-blind" in result.output


def test_a_territorial_body_matches_under_its_level_name():
    assert name_score(["Conseil régional de Bretagne"], ["Région Bretagne"]) >= 88
    assert name_score(["Conseil départemental du Gard"], ["Département du Gard"]) >= 88
    assert name_score(["Conseil régional de Bretagne"], ["Région Normandie"]) < 85
    assert name_score(["Mairie de Dax"], ["Ville de Dax"]) >= 88
