"""Train the mention classifier and measure it by leaving one document out.

    python -m maillage.extract.train                    # corpus + real dev, blind, blind2..blind7 -> extract/model/mentions.json
    python -m maillage.extract.train --loo-only         # figures only, the model file untouched
    python -m maillage.extract.train --combined 0.75/0.7    # rules + model, 5-fold by document, per threshold

Labelled set: every organisation mention of the curated corpus documents (gold: the records of
the document) and of the real development set (gold: ``<name>.gold.yaml``). A mention whose name
matches a gold funder is ``funder``, else a gold pilot ``pilot``, else a gold partner ``partner``;
every other mention is ``none``. Fixed seed; the same data gives the same weights and figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from maillage.extract.classifier import CLASSES, MODEL
from maillage.extract.scoring import Item, match_sets, name_score

SEED = 0
C = 0.3
MIN_DOCS = 1      # a feature is kept when at least this many training documents have it
GRID = [round(0.3 + 0.05 * i, 2) for i in range(13)]


def _label(text: str, gold) -> str:
    for cls, items in (("funder", gold.funders), ("pilot", gold.pilots), ("partner", gold.partners)):
        if any(name_score([text], it.names) >= 88 for it in items):
            return cls
    return "none"


def documents(corpus: Path | None, data: Path | None, real: list[Path]) -> list[tuple[str, str, object]]:
    """(name, text, gold Sets) of every labelled document."""
    from maillage.extract.evaluate import gold_documents, gold_from_yaml, gold_sets
    from maillage.extract.pipeline import read_text_file

    out = []
    if corpus is not None and corpus.is_dir():
        from maillage.config import Settings
        from maillage.extract.link import record_vocabulary
        from maillage.loaders.records import load_records

        records = load_records(data or Settings().data_dir, record_vocabulary())
        curated = {f.doc_file for f in records.documents}
        for p in sorted(corpus.glob("*.txt")):
            if p.name in curated:
                out.append((p.name, read_text_file(p), gold_sets(records, p.name)))
    import yaml

    for doc, g in gold_documents(real):
        try:
            text = read_text_file(doc)
        except Exception:  # a document only the format readers read
            continue
        out.append((doc.name, text, gold_from_yaml(yaml.safe_load(g.read_text(encoding="utf-8")) or {})))
    return out


def featurise(docs) -> list[tuple[str, list, object]]:
    """(name, mentions, gold) with each mention labelled (``m.label``)."""
    from maillage.extract.mentions import analyse
    from maillage.extract.publisher import publisher_of
    from maillage.extract.readers import blank_header

    out = []
    for name, text, gold in docs:
        text, url, _ = blank_header(text)   # as extraction reads it: the header is the URL
        _, mentions = analyse(text)
        pub = publisher_of(url, text, [m.text for m in mentions if not m.head_only])
        if pub is not None:
            from maillage.extract.mentions import mark_publisher

            mark_publisher(mentions, pub.name)
        for m in mentions:
            m.label = _label(m.text, gold)
            m.doc = name
        out.append((name, mentions, gold))
    return out


def fit(mentions, seed: int = SEED) -> dict:
    """A logistic regression over the mentions -> the JSON model (weights per feature)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    # a feature seen in one document only describes that document (and makes the model big)
    docs_of: dict[str, set] = {}
    for m in mentions:
        for f in m.features:
            docs_of.setdefault(f, set()).add(getattr(m, "doc", None))
    keep = {f for f, ds in docs_of.items() if len(ds) >= MIN_DOCS}
    vec = DictVectorizer()
    x = vec.fit_transform([{f: v for f, v in m.features.items() if f in keep} for m in mentions])
    y = [m.label for m in mentions]
    clf = LogisticRegression(C=C, max_iter=3000, random_state=seed)
    clf.fit(x, y)
    classes = [str(c) for c in clf.classes_]
    coef = clf.coef_
    weights = {}
    for j, fname in enumerate(vec.get_feature_names_out()):
        w = [round(float(coef[i, j]), 3) for i in range(coef.shape[0])]
        if any(abs(v) >= 0.01 for v in w):
            weights[str(fname)] = w
    return {"classes": classes, "intercept": [round(float(b), 4) for b in clf.intercept_],
            "weights": dict(sorted(weights.items())), "seed": seed, "C": C, "min_docs": MIN_DOCS}


def _predicted(model, mentions, role: str, threshold: float) -> list[Item]:
    from maillage.extract.classifier import entities

    out = []
    for m, probs in entities(mentions, model):
        others = [c for c in ("funder", "partner") if c != role]
        if probs.get(role, 0) >= threshold and all(probs.get(role, 0) >= probs.get(o, 0) for o in others):
            out.append(Item(m.text, [m.text]))
    return out


def leave_one_out(featured, seed: int = SEED) -> dict:
    """Model alone, per role and threshold: micro P/R over documents, each predicted by a model
    trained on the other documents."""
    from maillage.extract.scoring import Score

    totals = {role: {t: Score() for t in GRID} for role in ("funder", "partner")}
    for i, (_, mentions, gold) in enumerate(featured):
        train = [m for j, (_, ms, _) in enumerate(featured) if j != i for m in ms]
        if len({m.label for m in train}) < 2:
            continue
        model = fit(train, seed)
        for role, items in (("funder", gold.funders), ("partner", gold.partners)):
            for t in GRID:
                totals[role][t] = totals[role][t] + match_sets(_predicted(model, mentions, role, t), items)
    return totals


def choose(totals, floors=(("funder", 0.85), ("partner", 0.75))) -> dict:
    """The lowest threshold whose leave-one-out precision reaches the floor (else the highest)."""
    out = {}
    for role, floor in floors:
        ok = [t for t in GRID if totals[role][t].precision >= floor and totals[role][t].tp > 0]
        out[role] = min(ok) if ok else max(GRID)
    return out


def combined(featured, real_paths: list[Path], thresholds: list[tuple[float, float]], seed: int = SEED,
             folds: int = 5) -> dict:
    """Rules and model together, measured without the model seeing the document: the real
    documents are split into ``folds`` by a seeded shuffle; each is drafted by the whole pipeline
    with a model trained on the corpus and the other folds. Micro P/R per field and threshold pair
    (funder/partner)."""
    import random

    import yaml

    from maillage.extract import classifier
    from maillage.extract.evaluate import gold_from_yaml
    from maillage.extract.pipeline import extract_file
    from maillage.extract.scoring import Score, compare

    by_name = {p.name: p for p in real_paths}
    names = sorted(n for n, _, _ in featured if n in by_name)
    random.Random(seed).shuffle(names)
    fold = {n: i % folds for i, n in enumerate(names)}
    models = {k: fit([m for n, ms, _ in featured if fold.get(n) != k for m in ms], seed) for k in range(folds)}
    out = {}
    load = classifier.load_model
    try:
        for t in thresholds:
            totals = {f: Score() for f in ("funders", "tied", "partners")}
            for n in names:
                model = dict(models[fold[n]], thresholds={"funder": t[0], "partner": t[1]})
                classifier.load_model = lambda path=None, m=model: m
                p = by_name[n]
                gold = gold_from_yaml(yaml.safe_load(p.with_suffix(".gold.yaml").read_text(encoding="utf-8")) or {})
                scores = compare(extract_file(p, link=False), gold)
                totals = {f: totals[f] + scores[f] for f in totals}
            out[t] = totals
    finally:
        classifier.load_model = load
    return out


def by_set(featured, folders: list[Path], held: list[str], thresholds: list[tuple[float, float]],
           seed: int = SEED) -> dict:
    """Leave one set out: for each held folder, a model trained on the corpus and every other
    folder drafts that folder's documents with the rules (as a new blind set is met). Returns
    {set: {threshold pair: {field: Score}}} (micro over the set's documents)."""
    import yaml

    from maillage.extract import classifier
    from maillage.extract.evaluate import gold_from_yaml
    from maillage.extract.pipeline import extract_file
    from maillage.extract.scoring import Score, compare

    set_of = {p.name: f.name for f in folders for p in f.glob("*.txt")}
    path_of = {p.name: p for f in folders for p in f.glob("*.txt")}
    out: dict = {}
    load = classifier.load_model
    try:
        for s in held:
            model = fit([m for n, ms, _ in featured if set_of.get(n) != s for m in ms], seed)
            names = sorted(n for n, _, _ in featured if set_of.get(n) == s)
            out[s] = {}
            for t in thresholds:
                m_t = dict(model, thresholds={"funder": t[0], "partner": t[1]})
                classifier.load_model = lambda path=None, m=m_t: m
                totals = {f: Score() for f in ("funders", "tied", "partners", "initiatives")}
                for n in names:
                    p = path_of[n]
                    gold = gold_from_yaml(yaml.safe_load(p.with_suffix(".gold.yaml").read_text(encoding="utf-8")) or {})
                    scores = compare(extract_file(p, link=False), gold)
                    totals = {f: totals[f] + scores[f] for f in totals if f in scores}
                out[s][t] = totals
    finally:
        classifier.load_model = load
    return out


def _line(totals: dict) -> str:
    return "  ".join(f"{f} P {s.precision:.2f} R {s.recall:.2f} ({s.tp}/{s.n_draft}/{s.n_gold})"
                     for f, s in totals.items())


def main(argv: list[str] | None = None) -> int:
    global MIN_DOCS, C
    ap = argparse.ArgumentParser(prog="python -m maillage.extract.train", description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=Path(os.environ.get("MAILLAGE_CORPUS", "/nonexistent")))
    ap.add_argument("--data", type=Path, default=None, help="curated records [default: the settings' data dir]")
    ap.add_argument("--real", type=Path, action="append", default=None,
                    help="annotated folders [default: tests/fixtures/real/{dev,blind,blind2,blind3,blind4,blind5,blind6,blind7}]")
    ap.add_argument("--out", type=Path, default=MODEL)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--loo-only", action="store_true", help="print the leave-one-out figures, write nothing")
    ap.add_argument("--thresholds", metavar="F/P", default=None,
                    help="write the model with these funder/partner thresholds, skipping the leave-one-out run")
    ap.add_argument("--combined", nargs="+", metavar="F/P", default=None,
                    help="also measure rules + model by 5-fold cross-validation at these funder/partner thresholds")
    ap.add_argument("--by-set", nargs="+", metavar="F/P", default=None,
                    help="leave one set out (blind3..blind7): rules + a model trained without the set, per threshold pair")
    ap.add_argument("--min-docs", type=int, default=None, help=f"keep a feature seen in this many training documents [{MIN_DOCS}]")
    ap.add_argument("--C", type=float, default=None, help=f"inverse regularisation strength [{C}]")
    ap.add_argument("--held", nargs="+", default=["blind3", "blind4", "blind5", "blind6", "blind7"],
                    help="the sets --by-set holds out in turn")
    a = ap.parse_args(argv)
    MIN_DOCS = a.min_docs if a.min_docs is not None else MIN_DOCS
    C = a.C if a.C is not None else C
    from maillage.extract.evaluate import FIXTURES

    # every real set already measured blind (never blind8, which only the lead measures)
    real = a.real or [FIXTURES / "real" / n for n in ("dev", "blind", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7")]
    docs = documents(a.corpus if a.corpus.is_dir() else None, a.data, real)
    if not docs:
        print("no labelled document (give --corpus or --real)", file=sys.stderr)
        return 2
    featured = featurise(docs)
    n = sum(len(ms) for _, ms, _ in featured)
    labels = {c: sum(1 for _, ms, _ in featured for m in ms if m.label == c) for c in CLASSES}
    print(f"{len(featured)} documents, {n} mentions: {labels}")
    if a.combined:
        pairs = [tuple(float(x) for x in c.split("/")) for c in a.combined]
        paths = [p for folder in real for p in sorted(folder.glob("*.txt"))]
        for t, totals in combined(featured, paths, pairs, a.seed).items():
            print(f"rules + model, 5-fold, thresholds {t[0]}/{t[1]}: " + "  ".join(
                f"{f} P {s.precision:.2f} R {s.recall:.2f} ({s.tp}/{s.n_draft}/{s.n_gold})" for f, s in totals.items()))
    if a.by_set:
        from maillage.extract.scoring import Score

        pairs = [tuple(float(x) for x in c.split("/")) for c in a.by_set]
        res = by_set(featured, real, a.held, pairs, a.seed)
        for t in pairs:
            summed: dict = {}
            for s in a.held:
                print(f"leave-one-set-out {s}, thresholds {t[0]}/{t[1]}: " + _line(res[s][t]))
                summed = {f: summed.get(f, Score()) + v for f, v in res[s][t].items()}
            print(f"leave-one-set-out summed, thresholds {t[0]}/{t[1]}: " + _line(summed))
        if not a.thresholds:
            return 0
    if a.thresholds:  # chosen by the combined cross-validation (--combined), no leave-one-out run
        f_t, p_t = (float(x) for x in a.thresholds.split("/"))
        return _write(a, featured, {"funder": f_t, "partner": p_t})
    totals = leave_one_out(featured, a.seed)
    for role in totals:
        print(f"leave-one-out, model alone, {role}s: " + "  ".join(
            f"t={t}: P {s.precision:.2f} R {s.recall:.2f}" for t, s in totals[role].items() if t in (0.4, 0.5, 0.6, 0.7, 0.8)))
    thresholds = choose(totals)
    print("thresholds:", thresholds, " at them: " + "  ".join(
        f"{r} P {totals[r][t].precision:.2f} R {totals[r][t].recall:.2f} ({totals[r][t].tp}/{totals[r][t].n_draft}/{totals[r][t].n_gold})"
        for r, t in thresholds.items()))
    if a.loo_only:
        return 0
    return _write(a, featured, thresholds)


def _write(a, featured, thresholds: dict) -> int:
    model = fit([m for _, ms, _ in featured for m in ms], a.seed)
    model["thresholds"] = thresholds
    model["trained_on"] = [name for name, _, _ in featured]
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")  # compact: the file ships in the package
    print(f"{a.out}: {len(model['weights'])} features, {a.out.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
