"""The mention classifier: funder / partner / pilot / none for each organisation mention.

A multinomial logistic regression (scikit-learn at training time, see train.py) over the sparse
features of mentions.py, shipped as JSON weights (extract/model/mentions.json: classes, intercepts,
one weight vector per feature) and applied here in plain Python, so that reading needs no
scikit-learn. A body's role is the most probable one over its mentions; the classifier adds what
the rules did not draft, when it is confident enough (thresholds in the model file), each fact
marked ``by: model`` with its probability as confidence.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from maillage.extract.scoring import fold, name_score

MODEL = Path(__file__).resolve().parent / "model" / "mentions.json"
CLASSES = ("none", "funder", "partner", "pilot")


@lru_cache(maxsize=2)
def load_model(path: str | None = None) -> dict | None:
    import os

    p = Path(path or os.environ.get("MAILLAGE_MENTION_MODEL") or MODEL)
    if not p.is_file():
        return None
    return json.loads(p.read_text(encoding="utf-8"))


def probabilities(model: dict, features: dict) -> dict[str, float]:
    classes = model["classes"]
    scores = list(model["intercept"])
    weights = model["weights"]
    for f, v in features.items():
        w = weights.get(f)
        if w:
            for i, x in enumerate(w):
                scores[i] += x * v
    if len(classes) == 2:  # binary: one score, for classes[1]
        p = 1 / (1 + math.exp(-scores[0]))
        return {classes[0]: 1 - p, classes[1]: p}
    top = max(scores)
    exp = [math.exp(x - top) for x in scores]
    total = sum(exp)
    return {c: e / total for c, e in zip(classes, exp)}


def entities(mentions, model: dict) -> list[tuple[object, dict[str, float]]]:
    """(representative mention, max probability per class over its mentions) per body, by folded
    name; a bare generic name ("la Région") is left out (the rules resolve those)."""
    groups: dict[str, list] = {}
    for m in mentions:
        if m.head_only:
            continue
        groups.setdefault(fold(m.text), []).append(m)
    out = []
    for ms in groups.values():
        best: dict[str, float] = {}
        for m in ms:
            for c, p in probabilities(model, m.features).items():
                best[c] = max(best.get(c, 0.0), p)
        out.append((max(ms, key=lambda m: len(m.text)), best))
    return out


def add_predictions(combiner, mentions, model: dict | None = None) -> None:
    """Add the funders and partners the classifier is confident about and the rules missed (never a
    partner that is no body: combine.not_partner_name)."""
    from maillage.extract.combine import not_partner_name

    model = model or load_model()
    if not model:
        return
    thresholds = model.get("thresholds", {"funder": 0.6, "partner": 0.6})
    draft = combiner.draft
    known = [o.name for o in draft.organisations
             if o.key in combiner.funders() | combiner.partners() | combiner.pilots()]
    for m, probs in entities(mentions, model):
        role = max((c for c in ("funder", "partner") if c in probs), key=lambda c: probs[c], default=None)
        if role is None or probs[role] < thresholds.get(role, 1.0):
            continue
        if role == "funder" and getattr(m, "not_body", False):
            continue  # a person does not fund a project here (the speaker, the director)
        if role == "partner" and not draft.initiatives:
            continue  # a page of many projects or none: its bodies are rarely partners (CV: 5 right in 18)
        if role == "partner" and not_partner_name(m.text):
            continue
        if any(name_score([m.text], [k]) >= 90 for k in known):
            continue
        span = (m.start, m.end)
        combiner.add("funding" if role == "funder" else "partnership",
                     "financeur" if role == "funder" else "partenaire", [m], [], [], span,
                     round(probs[role], 3), by="model")
        known.append(m.text)
