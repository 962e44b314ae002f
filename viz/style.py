"""How a body looks on the network page: a colour per FAMILY of body, a shape (or an outline)
per kind inside its family.

The kinds, their French labels and their families all come from the typology concept scheme
(``maillage.model``, ontology/concepts/typology.ttl); nothing here lists kinds. The colours are
Paul Tol's "bright" qualitative scheme, made for readers with a colour-vision deficiency, plus
black: eight colours that stay apart under deuteranopia, protanopia and tritanopia. Inside a
family, kinds are told apart by shape, in the order of the scheme; past the seventh shape, the
shapes come back hollow (white inside, a thick outline in the family's colour).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from maillage import model

# family code (typology.ttl, mai:family) -> colour; a family the scheme gains later takes the
# next colour of _SPARE, so the page never fails on it (tests/test_viz.py checks every family
# of the scheme has its own colour here).
FAMILY_COLOURS: dict[str, str] = {
    "collectivites": "#4477AA",       # blue
    "siae": "#228833",                # green
    "etat": "#EE6677",                # red
    "protection-sociale": "#66CCEE",  # cyan
    "fondations": "#AA3377",          # purple
    "associations": "#CCBB44",        # yellow
    "entreprises": "#222222",         # black
    "autres": "#BBBBBB",              # grey
}
_SPARE = ("#999999", "#777777", "#555555")
OTHER_FAMILY = "autres"
DEFAULT_KIND = "AUTRE"

# vis-network shapes whose label is drawn under the node and whose size follows "size"
SHAPES: tuple[str, ...] = ("dot", "square", "diamond", "triangle", "triangleDown", "hexagon", "star")


@dataclass(frozen=True)
class KindStyle:
    code: str
    label: str          # French label (the scheme's; a node's own kind_label wins on the page)
    family: str         # family code
    family_label: str   # French label of the family
    colour: str         # the family's colour
    shape: str          # vis-network shape
    hollow: bool        # white inside, outlined in the family's colour

    def vis(self) -> dict:
        """The node options that draw this kind (colours for normal, hover and selected)."""
        border = _darker(self.colour)
        fill = "#ffffff" if self.hollow else self.colour
        return {"shape": self.shape, "borderWidth": 3 if self.hollow else 1,
                "color": {"background": fill, "border": self.colour if self.hollow else border,
                          "highlight": {"background": fill, "border": "#000000"},
                          "hover": {"background": fill, "border": "#000000"}}}


def _darker(colour: str, factor: float = 0.6) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))


@functools.lru_cache(maxsize=1)
def families() -> tuple[tuple[str, str, str], ...]:
    """(code, French label, colour) of every family of the scheme, in legend order."""
    out = []
    spare = iter(_SPARE * 4)
    for code, concept in model.concepts("families").items():
        out.append((code, concept.label("fr"), FAMILY_COLOURS.get(code) or next(spare)))
    if not any(code == OTHER_FAMILY for code, _, _ in out):
        out.append((OTHER_FAMILY, "Autres", FAMILY_COLOURS[OTHER_FAMILY]))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _scheme_styles() -> dict[str, KindStyle]:
    family_of = {code: (label, colour) for code, label, colour in families()}
    rank: dict[str, int] = {}
    styles: dict[str, KindStyle] = {}
    for code, concept in model.concepts("kinds").items():
        family = concept.family if concept.family in family_of else OTHER_FAMILY
        i = rank[family] = rank.get(family, -1) + 1
        styles[code] = KindStyle(code, concept.label("fr"), family, family_of[family][0], family_of[family][1],
                                 SHAPES[i % len(SHAPES)], i >= len(SHAPES))
    return styles


def kind_styles(kinds) -> dict[str, KindStyle]:
    """The style of each of ``kinds``: the scheme's kinds as the scheme says; a kind outside the
    scheme goes to the "Autres" family and takes the next shapes there, in sorted order of the
    codes (so the same kinds always look the same)."""
    scheme = _scheme_styles()
    out = {k: scheme[k] for k in kinds if k in scheme}
    used = sum(1 for s in scheme.values() if s.family == OTHER_FAMILY)
    label, colour = next((lab, col) for code, lab, col in families() if code == OTHER_FAMILY)
    for i, k in enumerate(sorted(set(kinds) - set(scheme)), start=used):
        out[k] = KindStyle(k, k, OTHER_FAMILY, label, colour, SHAPES[i % len(SHAPES)], (i // len(SHAPES)) % 2 == 1)
    return out


def scheme_kinds() -> dict[str, KindStyle]:
    """Every kind of the scheme with its style, in the scheme's order."""
    return dict(_scheme_styles())
