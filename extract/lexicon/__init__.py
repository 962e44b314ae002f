"""The relation lexicon (relations.yaml beside this file), loaded and checked.

    entries = load_lexicon()        # [Entry], validated; a bad file raises LexiconError naming the entry
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
RELATIONS = ("funding", "partnership", "pilot")
ROLES = {"partenaire", "operateur", "membre", "client", "reseau", "prescripteur", "prestataire",
         "donateur", "lanceur", "financeur", "pilote"}
_KEYS = {"id", "comment", "relation", "role", "verb", "phrase", "attribute", "with", "needs", "needs_any",
         "needs_money", "gap", "confidence", "agent_is_subject", "agents", "kind_funds", "public_funds", "pos",
         "scheme"}


class LexiconError(ValueError):
    """A malformed lexicon file; the message names the file and the entry."""


@dataclass(frozen=True)
class Entry:
    id: str
    comment: str
    relation: str
    role: str = "partenaire"
    verbs: frozenset = frozenset()
    phrase: tuple = ()                    # ((alternatives, optional), …)
    attribute: frozenset = frozenset()
    with_: frozenset = frozenset()        # prepositions whose complements are agents too
    needs: frozenset = frozenset()        # one of these lemmas in the predicate's clause
    needs_any: frozenset = frozenset()    # one of these lemmas in the sentence
    needs_money: bool = False
    gap: int = 0
    confidence: float = 0.7
    agent_is_subject: bool = True
    object_agents: bool = False           # the bodies are the verb's object / passive subject
    kind_funds: bool = False              # a body of a funder kind (funder_heads) makes it a funding
    public_funds: bool = False            # and a public funder (public_funder_heads) too
    scheme: bool = False                  # the name read is a scheme's (a call, a prize): a body after "de" gives
    pos: frozenset = frozenset({"VERB", "AUX", "ADJ", "NOUN"})   # parts of speech a verb entry matches
    examples: list = field(default_factory=list, compare=False, hash=False)

    @property
    def kind(self) -> str:
        return "verb" if self.verbs else "phrase" if self.phrase else "attribute"


def _norm(word: str) -> str:
    return word.lower().replace("’", "'")


def parse_phrase(spec: str) -> tuple:
    """"avec le|l' soutien financier? de" -> ((alternatives, optional), …)."""
    out = []
    for part in spec.split():
        optional = part.endswith("?") and len(part) > 1
        part = part[:-1] if optional else part
        out.append((frozenset(_norm(a) for a in part.split("|") if a), optional))
    return tuple(out)


def _words(value, where: str) -> frozenset:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise LexiconError(f"{where}: a list of words is expected")
    return frozenset(_norm(v) for v in value)


def parse_entries(data, source: str = "relations.yaml") -> list[Entry]:
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise LexiconError(f"{source}: a mapping with an `entries:` list is expected")
    out, seen = [], set()
    for n, e in enumerate(data["entries"], 1):
        where = f"{source}: entry {n} ({e.get('id') if isinstance(e, dict) else '?'})"
        if not isinstance(e, dict):
            raise LexiconError(f"{where}: a mapping is expected")
        unknown = set(e) - _KEYS
        if unknown:
            raise LexiconError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        for key in ("id", "comment", "relation"):
            if not isinstance(e.get(key), str) or not e[key].strip():
                raise LexiconError(f"{where}: `{key}` is required")
        if e["id"] in seen:
            raise LexiconError(f"{where}: duplicate id")
        seen.add(e["id"])
        if e["relation"] not in RELATIONS:
            raise LexiconError(f"{where}: relation must be one of {', '.join(RELATIONS)}")
        role = e.get("role", "financeur" if e["relation"] == "funding" else
                      "pilote" if e["relation"] == "pilot" else "partenaire")
        if role not in ROLES:
            raise LexiconError(f"{where}: unknown role {role!r}")
        kinds = [k for k in ("verb", "phrase", "attribute") if k in e]
        if len(kinds) != 1:
            raise LexiconError(f"{where}: exactly one of verb, phrase, attribute")
        phrase = ()
        if "phrase" in e:
            if not isinstance(e["phrase"], str) or not e["phrase"].split():
                raise LexiconError(f"{where}: phrase must be a string of words")
            phrase = parse_phrase(e["phrase"])
            if all(opt for _, opt in phrase):
                raise LexiconError(f"{where}: a phrase needs one word that is not optional")
        conf = e.get("confidence", 0.7)
        if not isinstance(conf, (int, float)) or not 0 < conf <= 1:
            raise LexiconError(f"{where}: confidence must be in (0, 1]")
        gap = e.get("gap", 0)
        if not isinstance(gap, int) or gap < 0:
            raise LexiconError(f"{where}: gap must be a whole number >= 0")
        if e.get("agents", "subject") not in ("subject", "object"):
            raise LexiconError(f"{where}: agents must be subject or object")
        if (e.get("kind_funds") or e.get("public_funds")) and e["relation"] != "partnership":
            raise LexiconError(f"{where}: kind_funds and public_funds are for partnership entries")
        out.append(Entry(id=e["id"], comment=e["comment"], relation=e["relation"], role=role,
                         verbs=_words(e.get("verb"), where), phrase=phrase,
                         attribute=_words(e.get("attribute"), where), with_=_words(e.get("with"), where),
                         needs=_words(e.get("needs"), where), needs_any=_words(e.get("needs_any"), where),
                         needs_money=bool(e.get("needs_money", False)), gap=gap, confidence=float(conf),
                         agent_is_subject=bool(e.get("agent_is_subject", True)),
                         object_agents=e.get("agents") == "object", kind_funds=bool(e.get("kind_funds", False)),
                         public_funds=bool(e.get("public_funds", False)),
                         scheme=bool(e.get("scheme", False)),
                         pos=frozenset(e["pos"]) if e.get("pos") else Entry.pos))
    return out


def funder_heads(data) -> frozenset:
    """The head words (``funder_heads:``) of bodies whose support is money."""
    heads = data.get("funder_heads") if isinstance(data, dict) else None
    return _words(heads, "funder_heads") if heads is not None else frozenset()


@lru_cache(maxsize=4)
def load_funder_heads(path: Path | str | None = None) -> frozenset:
    return load_word_list("funder_heads", path)


@lru_cache(maxsize=8)
@lru_cache(maxsize=64)
def load_word_list(key: str, path: Path | str | None = None) -> frozenset:
    """A top-level list of words of the lexicon file (``funder_heads``, ``hoped``)."""
    p = Path(path) if path else HERE / "relations.yaml"
    data = yaml.safe_load(p.read_text(encoding="utf-8"))
    value = data.get(key) if isinstance(data, dict) else None
    return _words(value, f"{p.name}: {key}") if value is not None else frozenset()


@lru_cache(maxsize=4)
def load_lexicon(path: Path | str | None = None) -> tuple[Entry, ...]:
    p = Path(path) if path else HERE / "relations.yaml"
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LexiconError(f"{p}: malformed YAML: {exc}") from None
    return tuple(parse_entries(data, p.name))
