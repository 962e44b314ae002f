"""The checks across records and files: every reference resolves, every code is known, every
fact has a source span (and, with the corpus at hand, a span inside its document); amounts in
the warning band named."""

from __future__ import annotations

from pathlib import Path

from maillage.loaders.records.errors import RecordError
from maillage.loaders.records.recordset import RecordSet, SourceFile, Vocabulary
from maillage.loaders.records.yaml_reader import read_text_file
from maillage.loaders.values import check_amount


def amount_warnings(rs: RecordSet) -> list[RecordError]:
    """Amounts above the warning band (values.AMOUNT_WARN): accepted, named for a second look."""
    out = []
    for f in rs.files:
        for i, fu in enumerate(f.records.fundings):
            if fu.amount_eur is not None:
                _, warning = check_amount(fu.amount_eur, "amount_eur")
                if warning:
                    out.append(RecordError(f.display, f.line("fundings", i, "amount_eur"), warning))
    return out


def check_references(rs: RecordSet, vocab: Vocabulary) -> list[RecordError]:
    errors: list[RecordError] = []
    initiatives: dict[str, str] = {}
    programmes: dict[str, str] = {}
    local_places: dict[str, set[str]] = {}

    def err(f: SourceFile, path: tuple, msg: str) -> None:
        errors.append(RecordError(f.display, f.line(*path), msg))

    # Pass 1: declarations, merged or checked for clashes across files.
    for f in rs.files:
        r = f.records
        here: dict[str, int] = {}
        for i, o in enumerate(r.organisations):
            # twice in one file is a slip, not a merge (the second name silently became an alias)
            if o.id in here:
                err(f, ("organisations", i, "id"), f"organisation {o.id!r} is declared twice in this file "
                                                   f"(first at line {f.line('organisations', here[o.id], 'id')})")
            here.setdefault(o.id, i)
        # <stem>.yaml, or <stem>.<part>.yaml when one document's records are split in parts
        if f.path.name != "common.yaml" and r.document and Path(r.document.file).stem != f.path.name.split(".")[0]:
            err(f, ("document", "file"), f"document file {r.document.file!r} does not match the records file name {f.path.name!r}")
        for i, o in enumerate(r.organisations):
            if o.kind not in vocab.kinds:
                err(f, ("organisations", i, "kind"), f"unknown organisation kind {o.kind!r} (see ontology/concepts/typology.ttl)")
            if f.path.name != "common.yaml" and not o.source:
                err(f, ("organisations", i), f"organisation {o.id!r} has no source span")
            known = rs.organisations.get(o.id)
            if known is None:
                rs.organisations[o.id] = o.model_copy(deep=True)
                rs.org_origin[o.id] = [f.display]
            else:
                if known.kind != o.kind:
                    err(f, ("organisations", i, "kind"), f"organisation {o.id!r} is {o.kind!r} here but {known.kind!r} in {rs.org_origin[o.id][0]}")
                for alias in [o.name, *o.aliases]:
                    if alias != known.name and alias not in known.aliases:
                        known.aliases.append(alias)
                known.territory = known.territory or o.territory
                rs.org_origin[o.id].append(f.display)
        for i, ini in enumerate(r.initiatives):
            if ini.id in initiatives:
                err(f, ("initiatives", i, "id"), f"initiative {ini.id!r} is already declared in {initiatives[ini.id]}")
            initiatives[ini.id] = f.display
            if not ini.source:
                err(f, ("initiatives", i), f"initiative {ini.id!r} has no source span")
        for i, p in enumerate(r.programmes):
            if p.id in programmes:
                err(f, ("programmes", i, "id"), f"programme {p.id!r} is already declared in {programmes[p.id]}")
            programmes[p.id] = f.display
        places = local_places.setdefault(f.display, set())
        for i, t in enumerate(r.territories):
            places.add(t.id)
            if not vocab.territory_exists(t.within):
                err(f, ("territories", i, "within"), f"unknown territory code {t.within!r}")

    def territory_ok(f: SourceFile, ref: str) -> bool:
        return ref in local_places.get(f.display, set()) or vocab.territory_exists(ref)

    # Pass 2: every reference resolves, every code is known, every fact has a source.
    for f in rs.files:
        r = f.records
        sourced = f.path.name != "common.yaml"
        for i, o in enumerate(r.organisations):
            if o.territory and not territory_ok(f, o.territory):
                err(f, ("organisations", i, "territory"), f"unknown territory code {o.territory!r}")
        for i, ini in enumerate(r.initiatives):
            for j, ref in enumerate(ini.territories):
                if not territory_ok(f, ref):
                    err(f, ("initiatives", i, "territories", j), f"unknown territory code {ref!r}")
            for key, allowed, scheme in (("themes", vocab.themes, "themes"), ("publics", vocab.publics, "publics")):
                for j, code in enumerate(getattr(ini, key)):
                    if code not in allowed:
                        err(f, ("initiatives", i, key, j), f"unknown {key[:-1]} {code!r} (see ontology/concepts/{scheme}.ttl)")
            for j, fig in enumerate(ini.figures):
                if sourced and not fig.source:
                    err(f, ("initiatives", i, "figures", j), "figure has no source span")
        for i, p in enumerate(r.participations):
            if p.initiative not in initiatives:
                err(f, ("participations", i, "initiative"), f"unknown initiative {p.initiative!r}")
            if p.organisation not in rs.organisations:
                err(f, ("participations", i, "organisation"), f"unknown organisation {p.organisation!r}")
            if p.role not in vocab.roles:
                err(f, ("participations", i, "role"), f"unknown role {p.role!r} (see ontology/concepts/roles.ttl)")
            if sourced and not p.source:
                err(f, ("participations", i), "participation has no source span")
        for i, m in enumerate(r.memberships):
            for key in ("organisation", "of"):
                if getattr(m, key) not in rs.organisations:
                    err(f, ("memberships", i, key), f"unknown organisation {getattr(m, key)!r}")
            if sourced and not m.source:
                err(f, ("memberships", i), "membership has no source span")
        for i, p in enumerate(r.programmes):
            for j, o in enumerate(p.launched_by):
                if o not in rs.organisations:
                    err(f, ("programmes", i, "launched_by", j), f"unknown organisation {o!r}")
        for i, fu in enumerate(r.fundings):
            for j, o in enumerate(fu.funder):
                if o not in rs.organisations:
                    err(f, ("fundings", i, "funder", j), f"unknown funder {o!r} (declare it under organisations:)")
            if fu.initiative and fu.initiative not in initiatives:
                err(f, ("fundings", i, "initiative"), f"unknown initiative {fu.initiative!r}")
            if fu.recipient and fu.recipient not in rs.organisations:
                err(f, ("fundings", i, "recipient"), f"unknown organisation {fu.recipient!r}")
            if fu.programme and fu.programme not in programmes:
                err(f, ("fundings", i, "programme"), f"unknown programme {fu.programme!r}")
            if fu.purpose and fu.purpose not in vocab.purposes:
                err(f, ("fundings", i, "purpose"), f"unknown purpose {fu.purpose!r} (see ontology/concepts/purposes.ttl)")
            if sourced and not fu.source:
                err(f, ("fundings", i), "funding has no source span")
    return errors


def check_spans(rs: RecordSet, corpus_dir: Path) -> list[RecordError]:
    """Every source span lies inside its document, when the document is at hand: a span past the
    end passed build, check and coverage (the passage it names does not exist)."""
    errors: list[RecordError] = []
    lengths: dict[str, int | None] = {}
    for f in rs.documents:
        doc = f.doc_file
        if doc not in lengths:
            path = corpus_dir / doc
            text, _ = read_text_file(path, str(path), 64 * 1024 * 1024) if path.is_file() else (None, None)
            lengths[doc] = None if text is None else len(text)
        size = lengths[doc]
        if size is None:
            continue
        r = f.records
        for key in ("organisations", "initiatives", "participations", "memberships", "programmes", "fundings", "territories"):
            for i, item in enumerate(getattr(r, key)):
                for start, end in item.source or []:
                    if end > size:
                        errors.append(RecordError(f.display, f.line(key, i, "source"),
                                                  f"{key}.{i}.source: span [{start}, {end}] goes past the end of {doc} ({size} characters)"))
                if key == "initiatives":
                    for j, fig in enumerate(item.figures):
                        for start, end in fig.source or []:
                            if end > size:
                                errors.append(RecordError(f.display, f.line(key, i, "figures", j, "source"),
                                                          f"{key}.{i}.figures.{j}.source: span [{start}, {end}] goes past the end of {doc} ({size} characters)"))
        for i, allow in enumerate(r.coverage_allow):
            if allow.span[1] > size:
                errors.append(RecordError(f.display, f.line("coverage_allow", i, "span"),
                                          f"coverage_allow.{i}.span: [{allow.span[0]}, {allow.span[1]}] goes past the end of {doc} ({size} characters)"))
    return errors
