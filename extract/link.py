"""Link drafted organisations to the organisations already in the records: a document's "CD 41"
becomes the existing Département de Loir-et-Cher; a name nobody knows is proposed as new.

Order of evidence: a collectivité named by its form and territory ("CD 41", "Conseil
départemental du Cher", "Région Hauts-de-France", "Ville de Toulouse", "CCAS de Barlin") is the
organisation that governs that territory; then the normalised name or an alias
(resolution.normalise_name); then a fuzzy match (rapidfuzz) above a threshold. An ambiguous
name links to nothing. Nothing is merged: the draft only says what it would link to.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from maillage import model
from maillage.extract.model import Draft
from maillage.loaders.resolution import _GENERIC, _name_score, normalise_name
from maillage.loaders.territories import load_cog

__all__ = ["Linker", "governed_territory", "guess_kind"]

_DEP_CODE = r"(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])"
_OF = r"(?:\s+(?:du|de\s+la|de\s+l['’]|des|de|d['’])\s*|\s+)"
_FORMS = [
    # (regex of the form, kind, level of the governed territory)
    (r"(?:conseil\s+d[ée]partemental|conseil\s+g[ée]n[ée]ral|d[ée]partement|CD|CG)", "CD", "departement"),
    (r"(?:conseil\s+r[ée]gional|r[ée]gion)", "REG", "region"),
    (r"(?:CCAS|centre\s+communal\s+d['’]action\s+sociale)", "CCAS", "commune"),
    (r"(?:ville|mairie|commune|municipalit[ée])", "MUNI", "commune"),
    (r"(?:communaut[ée]\s+(?:de\s+communes|d['’]agglom[ée]ration|urbaine)|m[ée]tropole|agglo(?:m[ée]ration)?|CA|CC|CU)", "EPCI", "epci"),
]
# Kinds a name's own words say (general French usage; the first that matches wins)
_KIND_RULES = [
    (r"^(?:l['’]\s*)?[ée]tat\b|\bpr[ée]fecture\b|\bminist[èe]re\b|\bDREETS\b|\bDDETS\b|\bDDETS?PP\b|\bDDT[M]?\b|\bDIRECCTE\b|\bsous-pr[ée]fecture\b|\bASP\b|\bANAH\b|\bADEME\b|\bcommissaire\b|\bd[ée]l[ée]gation\s+interminist", "ETAT"),
    (r"\bunion\s+europ[ée]enne\b|\bFSE\+?\b|\bFEDER\b|\bFEADER\b|\bfonds\s+social\s+europ[ée]en", "UE"),
    (r"\bCCAS\b|\bcentre\s+communal\s+d['’]action", "CCAS"),
    (r"\bCIAS\b|\bcentre\s+intercommunal\s+d['’]action", "CIAS"),
    (r"\bfrance\s+travail\b|\bp[ôo]le\s+emploi\b", "FT"),
    (r"\bmission\s+locale\b", "ML"),
    (r"\bPLIE\b", "PLIE"),
    (r"\bCAF\b|\bcaisse\s+d['’]allocations\s+familiales", "CAF"),
    (r"\bCPAM\b|\bcaisse\s+primaire", "CPAM"),
    (r"\bMSA\b|\bmutualit[ée]\s+sociale\s+agricole", "MSA"),
    (r"\bGIP\b|\bgroupement\s+d['’]int[ée]r[êe]t\s+public", "GIP"),
    (r"\bfondation\b|\bfonds\s+de\s+dotation\b", "FONDATION"),
    (r"\bACI\b|\bchantiers?\s+d['’]insertion\b|\bateliers?\s+(?:et\s+chantiers?\s+)?d['’]insertion\b", "ACI"),
    (r"\bETTI\b", "ETTI"), (r"\bEITI\b", "EITI"), (r"\bGEIQ\b", "GEIQ"), (r"\bESAT\b", "ESAT"),
    (r"\bentreprise\s+d['’]insertion\b|\bEI\b", "EI"), (r"\bassociation\s+interm[ée]diaire\b", "AI"),
    (r"\bentreprise\s+adapt[ée]e\b", "EA"),
    (r"\bbailleurs?\b|\bOPH\b|\bHLM\b|\bhabitat\s+social\b|\bhabitat\b.*\bOPH\b", "BAILLEUR"),
    (r"\br[ée]seau\b|\bf[ée]d[ée]ration\b|\bunion\s+(?:nationale|r[ée]gionale|d[ée]partementale)\b|\bcollectif\b|\bCRESS\b|\bcoordination\b|\bURIOPSS\b|\bUNIOPSS\b", "RESEAU"),
    (r"\bsyndicat\s+mixte\b", "SM"),
    (r"\bassociation\b|\basso\b", "ASSO"),
    (r"\bbanque\b|\bSAS\b|\bSARL\b|\bSA\b|\bgroupe\b", "ENTREPRISE"),
    (r"\bSCIC\b|\bSCOP\b|\bcoop[ée]rative\b", "ESS"),
]


def governed_territory(name: str, cog=None) -> tuple[str, str] | None:
    """(kind, territory ref) for a collectivité named by its form and its territory:
    "CD 41" -> ("CD", "dep:41"), "Région Hauts-de-France" -> ("REG", "reg:32")."""
    cog = cog or load_cog()
    text = re.sub(r"\b(CD|CG)(?=\d)", r"\1 ", " ".join(name.split()))
    for form, kind, level in _FORMS:
        m = re.match(rf"(?i)^\s*(?:l['’]\s*|le\s+|la\s+)?{form}\b{_OF}(.+?)\s*$", text)
        if not m:
            continue
        rest = m.group(1).strip(" .,;:()*_")
        if level == "departement":
            num = re.fullmatch(r"\(?(" + _DEP_CODE + r")\)?", rest, re.IGNORECASE)
            if num:
                dep = cog.get(f"dep:{num.group(1).upper()}")
                return (kind, dep.ref) if dep else None
        found = cog.find(rest, level)
        if level == "commune" and len(found) > 1:
            ranked = sorted(found, key=lambda c: -(c.population or 0))
            top, second = ranked[0].population or 0, ranked[1].population or 0
            found = [ranked[0]] if top >= 10_000 and top >= 10 * max(second, 1) else []
        if len(found) == 1:
            return kind, found[0].ref
        if level == "epci" and not found:
            found = cog.find(text, "epci")
            if len(found) == 1:
                return kind, found[0].ref
    return None


def guess_kind(name: str, cog=None) -> str | None:
    """The typology notation a name's own words say ("Fondation X" -> FONDATION), or None."""
    gov = governed_territory(name, cog)
    if gov:
        return gov[0]
    for pattern, kind in _KIND_RULES:
        if re.search(pattern, name, re.IGNORECASE):
            return kind
    return None


def record_vocabulary():
    """The codes record files are validated against (as maillage.build does, without importing the
    build: nothing in the extractor may pull in the store)."""
    from maillage.loaders.records import Vocabulary
    from maillage.model import codes

    cog = load_cog()
    return Vocabulary(
        kinds=frozenset(codes("kinds")), roles=frozenset(codes("roles")), themes=frozenset(codes("themes")),
        publics=frozenset(codes("publics")), purposes=frozenset(codes("purposes")),
        territory_exists=lambda ref: ref in cog,
    )


class Linker:
    """Matches drafted organisation names to the organisations of the curated records."""

    def __init__(self, recordset_or_data_dir: Any = None, threshold: float = model.LINK_THRESHOLD, *,
                 exclude_files: tuple[str, ...] = ()):
        self.threshold = threshold
        self.cog = load_cog()
        orgs = self._organisations(recordset_or_data_dir, exclude_files)
        self.organisations = orgs
        self._exact: dict[str, set[str]] = {}
        self._norms: dict[str, list[str]] = {}
        self._governs: dict[tuple[str, str], list[str]] = {}
        for oid, o in orgs.items():
            names = [o.name, *o.aliases]
            norms = sorted({normalise_name(n, self.cog) for n in names} - {""})
            self._norms[oid] = norms
            for n in norms:
                self._exact.setdefault(n, set()).add(oid)
            if o.kind in model.GOVERNING_KINDS and o.territory:
                self._governs.setdefault((o.kind, o.territory), []).append(oid)

    @staticmethod
    def _organisations(source: Any, exclude_files: tuple[str, ...]) -> dict:
        from maillage.loaders.records import RecordSet, load_records

        if isinstance(source, dict):
            return source
        if isinstance(source, RecordSet):
            rs = source
        else:
            from maillage.config import Settings

            data_dir = Path(source) if source is not None else Settings().data_dir
            rs = load_records(data_dir, record_vocabulary())
        if not exclude_files:
            return rs.organisations
        # organisations as if the excluded files did not exist (to measure the linker fairly)
        out: dict = {}
        for f in rs.files:
            if f.path.name in exclude_files or (f.doc_file and f.doc_file in exclude_files):
                continue
            for o in f.records.organisations:
                known = out.get(o.id)
                if known is None:
                    out[o.id] = o.model_copy(deep=True)
                else:
                    for alias in [o.name, *o.aliases]:
                        if alias != known.name and alias not in known.aliases:
                            known.aliases.append(alias)
                    known.territory = known.territory or o.territory
        return out

    def match(self, name: str) -> tuple[str | None, float]:
        """(organisation id, score 0-100) of the best match above the threshold, else (None, best score)."""
        if not name or not name.strip():
            return None, 0.0
        norm = normalise_name(name, self.cog)
        if not norm:
            return None, 0.0
        if all(t in _GENERIC for t in norm.split()):
            return None, 0.0         # "la Région", "le Département": which one depends on the text
        hits = self._exact.get(norm, set())
        if len(hits) == 1:
            return next(iter(hits)), 100.0
        if len(hits) > 1:
            return None, 100.0       # ambiguous: a person chooses
        gov = governed_territory(name, self.cog)
        if gov and gov in self._governs:
            ids = self._governs[gov]
            if len(ids) > 1:         # the body itself, not one of its services
                form = normalise_name(name, self.cog).split()[0]
                ids = [i for i in ids if any(n.split()[0] == form for n in self._norms[i])] or ids
            if len(ids) == 1:
                return ids[0], 100.0
        if gov:
            return None, 0.0         # the collectivité of a territory nobody recorded: new, never a neighbour
        bare = re.sub(r"\s*\([^()]*\)\s*", " ", name).strip()
        if bare and bare != name:    # "État (FSE+)", "Fondation X (direction Sud)"
            oid, score = self.match(bare)
            if oid:
                return oid, score
        best_id, best, tie = None, 0.0, False
        mine = " ".join(t for t in norm.split() if t not in _GENERIC)
        for oid, norms in self._norms.items():
            score, _, other = _name_score([norm], norms)
            theirs = " ".join(t for t in other.split() if t not in _GENERIC)
            if score and mine and theirs:   # "departement finistere" is not "departement isere"
                score = min(score, fuzz.ratio(mine, theirs))
            if score > best:
                best_id, best, tie = oid, score, False
            elif score == best and score > 0 and oid != best_id:
                tie = True
        if best >= self.threshold and not tie:
            return best_id, round(best, 1)
        # "État ASP": a known body followed by the acronym of the agency acting for it
        m = re.fullmatch(r"(.+?)\s+[A-Z]{3,6}", name.strip())
        if m:
            head = normalise_name(m.group(1), self.cog)
            hits = self._exact.get(head, set())
            if len(hits) == 1 and not all(t in _GENERIC for t in head.split()):
                return next(iter(hits)), 90.0
        return None, round(best, 1)

    def link(self, draft: Draft) -> Draft:
        """The draft with each organisation's linked_to / match_score / kind / territory filled."""
        orgs = []
        for o in draft.organisations:
            oid, score = self.match(o.name)
            new = replace(o)
            if oid:
                known = self.organisations[oid]
                new.linked_to, new.match_score = oid, score
                new.kind = known.kind
                new.territory = known.territory or o.territory
            else:
                new.match_score = score or None
                gov = governed_territory(o.name, self.cog)
                if gov:
                    new.kind = new.kind or gov[0]
                    new.territory = new.territory or gov[1]
                new.kind = new.kind or guess_kind(o.name, self.cog)
            orgs.append(new)
        return replace(draft, organisations=orgs)
