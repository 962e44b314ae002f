"""The mention classifier: its shipped model loads and is small, its training is reproducible
(same data and seed, same weights and figures), and what it adds is marked ``by: model``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from maillage.extract.classifier import MODEL, add_predictions, entities, load_model, probabilities

UNSEEN = Path(__file__).parent / "fixtures" / "unseen"


def test_the_shipped_model_loads_and_is_small():
    model = load_model()
    assert model is not None, f"{MODEL} is missing: python -m maillage.extract.train"
    assert set(model["classes"]) >= {"none", "funder", "partner"}
    assert 0 < model["thresholds"]["funder"] <= 1 and 0 < model["thresholds"]["partner"] <= 1
    assert MODEL.stat().st_size < 1_000_000
    assert all(len(w) == len(model["intercept"]) for w in model["weights"].values())


def test_probabilities_sum_to_one():
    model = load_model()
    p = probabilities(model, {"cue=cue_fin": 1.0, "first=fondation": 1.0, "b0=de": 1.0})
    assert abs(sum(p.values()) - 1.0) < 1e-9 and all(0 <= v <= 1 for v in p.values())


@pytest.fixture(scope="module")
def featured():
    from maillage.extract.train import documents, featurise

    docs = documents(None, None, [UNSEEN])[:3]
    return featurise(docs)


def test_training_is_reproducible(featured):
    from maillage.extract.train import fit

    mentions = [m for _, ms, _ in featured for m in ms]
    assert {m.label for m in mentions} >= {"none", "funder"}
    a, b = fit(mentions, seed=0), fit(mentions, seed=0)
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_leave_one_out_figures_are_reproducible(featured):
    from maillage.extract.train import leave_one_out

    one = leave_one_out(featured, seed=0)
    two = leave_one_out(featured, seed=0)
    assert {r: {t: (s.tp, s.n_draft, s.n_gold) for t, s in v.items()} for r, v in one.items()} == \
           {r: {t: (s.tp, s.n_draft, s.n_gold) for t, s in v.items()} for r, v in two.items()}


def test_a_body_is_one_entity_whatever_its_mentions(featured):
    _, mentions, _ = featured[0]
    ents = entities(mentions, load_model())
    from maillage.extract.scoring import fold

    assert len({fold(m.text) for m, _ in ents}) == len(ents)


def test_what_the_model_adds_says_so():
    from maillage.extract.combine import Combiner
    from maillage.extract.mentions import Mention
    from maillage.extract.model import Draft, DraftInitiative

    text = "Le Jardin Vert ouvre. La Fondation Quetsche finance le jardin."
    m = Mention(text.index("Fondation"), text.index("Fondation") + len("Fondation Quetsche"), "Fondation Quetsche", False)
    m.features = {"x": 1.0}
    model = {"classes": ["none", "funder"], "intercept": [0.0], "weights": {"x": [5.0]},
             "thresholds": {"funder": 0.5, "partner": 0.5}}
    c = Combiner(Draft("x.txt", initiatives=[DraftInitiative("jardin", "Jardin Vert", spans=[(3, 14)])]), text)
    add_predictions(c, [m], model)
    (f,) = c.draft.fundings
    assert f.by == "model" and f.confidence > 0.9
    assert [o.name for o in c.draft.organisations] == ["Fondation Quetsche"]


def test_list_section_and_publisher_features():
    """A body listed with others says so (and how long the list is), a body under a role heading
    says the heading's role word, and the page's publisher says it is the publisher."""
    from maillage.extract.mentions import analyse, mark_publisher

    text = ("L'atelier Les Ormes répare des vélos à Vitré.\n\nIls nous soutiennent\nFondation Tilleul\n"
            "Ville de Vitré\nRégion Bretagne\n")
    _, mentions = analyse(text)
    by = {m.text: m for m in mentions}
    assert by["Ville de Vitré"].features.get("list=3+") == 1.0
    assert by["Fondation Tilleul"].features.get("section=soutien") == 1.0
    assert "in_list" not in by["Les Ormes"].features if "Les Ormes" in by else True
    mark_publisher(mentions, "Fondation Tilleul")
    assert by["Fondation Tilleul"].features.get("publisher") == 1.0
    assert "publisher" not in by["Région Bretagne"].features


def test_a_feature_of_one_document_only_can_be_left_out(featured, monkeypatch):
    from maillage.extract import train

    mentions = [m for _, ms, _ in featured for m in ms]
    monkeypatch.setattr(train, "MIN_DOCS", 2)
    small = train.fit(mentions, seed=0)
    monkeypatch.setattr(train, "MIN_DOCS", 1)
    full = train.fit(mentions, seed=0)
    assert small["min_docs"] == 2 and set(small["weights"]) < set(full["weights"])


def test_leave_one_set_out_drafts_each_held_set_with_a_model_that_never_saw_it(tmp_path, monkeypatch):
    import shutil

    from maillage.extract import train
    from maillage.extract.train import by_set, documents, featurise

    docs = sorted(UNSEEN.glob("*.txt"))[:4]
    folders = [tmp_path / "a", tmp_path / "b"]
    for i, d in enumerate(docs):
        f = folders[i % 2]
        f.mkdir(exist_ok=True)
        shutil.copy(d, f / d.name)
        shutil.copy(d.with_suffix(".gold.yaml"), f / d.with_suffix(".gold.yaml").name)
    featured = featurise(documents(None, None, folders))
    seen = []
    fit = train.fit
    monkeypatch.setattr(train, "fit", lambda ms, seed=0: seen.append({m.doc for m in ms}) or fit(ms, seed))
    res = by_set(featured, folders, ["a", "b"], [(0.7, 0.45)])
    assert seen == [{d.name for d in docs[1::2]}, {d.name for d in docs[0::2]}]
    assert set(res) == {"a", "b"} and res["a"][(0.7, 0.45)]["funders"].n_gold > 0
