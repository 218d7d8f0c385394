"""The layers of ``reporter/`` kept apart, read from the source with ``ast``.

Every ``import`` counts: at module level, inside a function (a lazy import) and under
``TYPE_CHECKING`` alike, since each is a dependency a reader has to follow.

Two rules:
- no import cycle between the parts of any package: the modules and subpackages directly inside
  ``reporter/``, ``reporter/render/``, ``reporter/render/charts/`` and so on;
- a part of ``reporter/`` imports only from the layers below its own (``LAYERS``, highest first).
  Parts of one layer written ``a | b`` are independent: neither imports the other.

A new module or subpackage of ``reporter/`` gets a place in ``LAYERS`` (the test says so).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "reporter"

#: From the entry point down to the words of the domain; each part may import only from the
#: layers below it. Read together with the README's "Layout".
LAYERS: tuple[str, ...] = (
    "__main__",
    "cli",  # the command line: parses, loads the configuration, calls one run
    "backfill",  # many sessions: one sync and read, the build stage as tasks, one write each
    "pipeline | cluster",  # the orchestrator: the stages in order, the only I/O of a run;
    # the Dask cluster a backfill runs its tasks on (speed machinery, apart from the flow)
    "chat",  # delivery: the team chats, sent once a day as the e-mail is ...
    "mail",  # ... the e-mail names a day as the portal does ...
    "portal",  # ... the portal is built from the output folder ...
    "deliver",  # ... the output folder, written atomically
    "render",  # report data -> charts -> HTML -> PDF
    "insights",  # figures -> language-neutral findings and their sentences
    "metrics",  # pure functions over the price panel
    "ingest",  # a source into the price store
    "sources | store | panel",  # market data in, stored, laid out as one panel
    "i18n | config | calendar | model | files | stopwatch",  # shared by every stage
    "resources | vocabulary",  # templates and catalogs found; the words of the domain
    "errors",  # the one exception family
)


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, "reporter.mail"
    target: str  # the imported module, "reporter.portal.days"
    line: int

    def where(self) -> str:
        return f"{self.source} (line {self.line}) imports {self.target}"


def _modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package at ``root``."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = (root.name, *path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(root: Path) -> list[Import]:
    """Every import of one module of the package by another, wherever it is written."""
    modules = _modules(root)
    found = []
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                # ``from reporter import calendar`` imports the module reporter.calendar
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            else:
                continue
            for target in targets:
                while target and target not in modules:  # ``import reporter.x.attr``
                    target = target.rpartition(".")[0]
                if target and target != name:
                    found.append(Import(name, target, node.lineno))
    return found


def _part(module: str, package: str) -> str | None:
    """The part (direct child) of ``package`` that ``module`` lies in; None when outside it
    or the package's own ``__init__``."""
    if not module.startswith(package + "."):
        return None
    return module[len(package) + 1 :].split(".")[0]


def cycles(found: list[Import]) -> list[str]:
    """Each import cycle between the parts of one package, with the imports that close it."""
    packages = {m.rpartition(".")[0] for i in found for m in (i.source, i.target)} - {""}
    problems = []
    for package in sorted(packages):
        edges: dict[str, dict[str, Import]] = {}
        for i in found:
            a, b = _part(i.source, package), _part(i.target, package)
            if a and b and a != b:
                edges.setdefault(a, {}).setdefault(b, i)
        for cycle in _strongly_connected(edges):
            members = sorted(cycle)
            witness = [
                edges[a][b] for a in members for b in sorted(edges.get(a, {})) if b in cycle
            ]
            problems.append(
                f"import cycle in {package}: {', '.join(members)} ("
                + "; ".join(f"{i.source}:{i.line} -> {i.target}" for i in witness)
                + ")"
            )
    return problems


def _strongly_connected(edges: Mapping[str, Mapping[str, object]]) -> Iterator[set[str]]:
    """Tarjan's algorithm; only the components of more than one node."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(node: str) -> Iterator[set[str]]:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, {}):
            if nxt not in index:
                yield from visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.add(top)
                if top == node:
                    break
            if len(component) > 1:
                yield component

    for node in sorted(edges):
        if node not in index:
            yield from visit(node)


def _ranks(layers: tuple[str, ...]) -> dict[str, tuple[int, bool]]:
    """Part -> (its layer, counted from the top; whether its layer's parts are independent)."""
    ranks = {}
    for rank, layer in enumerate(layers):
        independent = "|" in layer or ":" not in layer
        for part in layer.replace(":", "|").split("|"):
            ranks[part.strip()] = (rank, independent)
    return ranks


def layer_violations(found: list[Import], package: str, layers: tuple[str, ...]) -> list[str]:
    """Each import of a part of ``package`` by a part in the same or a lower layer, and each
    part that has no layer."""
    ranks = _ranks(layers)
    problems = []
    parts = {p for i in found for m in (i.source, i.target) if (p := _part(m, package))}
    for part in sorted(parts - set(ranks)):
        problems.append(f"{package}.{part} has no layer: add it to LAYERS in {__name__}")
    for i in found:
        a, b = _part(i.source, package), _part(i.target, package)
        if not (a and b) or a == b or a not in ranks or b not in ranks:
            continue
        (rank_a, independent), (rank_b, _) = ranks[a], ranks[b]
        if rank_b < rank_a:
            problems.append(f"lower layer imports a higher one: {i.where()}")
        elif rank_b == rank_a and independent:
            problems.append(f"independent parts of one layer: {i.where()}")
    return problems


# -- the checks on reporter/ ----------------------------------------------------------------------


def test_no_import_cycle_between_the_parts_of_any_package() -> None:
    assert cycles(imports(PACKAGE)) == []


def test_each_layer_imports_only_from_the_layers_below() -> None:
    assert layer_violations(imports(PACKAGE), PACKAGE.name, LAYERS) == []


def test_every_part_of_the_package_has_a_layer() -> None:
    """Also the parts nothing imports yet: a new module is placed when it is added."""
    parts = {path.stem if path.is_file() else path.name
             for path in PACKAGE.iterdir()
             if (path.suffix == ".py" or (path / "__init__.py").exists())}
    assert parts - {"__init__"} == set(_ranks(LAYERS))


# -- the checker itself, on a small package made for it ------------------------------------------


def _write(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "pkg"


@pytest.fixture
def small_package(tmp_path: Path) -> Path:
    """A top layer ``app``, then ``stage``, then ``words``; ``stage`` has two parts."""
    return _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/app.py": "from pkg.stage import run\n",
        "pkg/stage/__init__.py": "from pkg.stage.one import run\n",
        "pkg/stage/one.py": "from pkg import words\nfrom . import two\n\ndef run(): ...\n",
        "pkg/stage/two.py": "import pkg.words\n",
        "pkg/words.py": "WORD = 'w'\n",
    })


SMALL_LAYERS = ("app", "stage", "words")


def test_the_checker_accepts_a_clean_package(small_package: Path) -> None:
    found = imports(small_package)
    assert {(i.source, i.target) for i in found} == {
        ("pkg.app", "pkg.stage"),
        ("pkg.stage", "pkg.stage.one"),
        ("pkg.stage.one", "pkg.words"),
        ("pkg.stage.one", "pkg.stage.two"),
        ("pkg.stage.two", "pkg.words"),
    }
    assert cycles(found) == []
    assert layer_violations(found, "pkg", SMALL_LAYERS) == []


def test_the_checker_finds_a_lazy_import_of_a_higher_layer(small_package: Path) -> None:
    (small_package / "words.py").write_text("def late():\n    from pkg.stage import one\n")
    problems = layer_violations(imports(small_package), "pkg", SMALL_LAYERS)
    assert problems == ["lower layer imports a higher one: pkg.words (line 2) imports "
                        "pkg.stage.one"]


def test_the_checker_finds_a_cycle_inside_a_subpackage(small_package: Path) -> None:
    (small_package / "stage" / "two.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.stage.one import run\n"
    )
    assert cycles(imports(small_package)) == [
        "import cycle in pkg.stage: one, two "
        "(pkg.stage.one:2 -> pkg.stage.two; pkg.stage.two:3 -> pkg.stage.one)"
    ]


def test_the_checker_keeps_the_parts_of_one_layer_apart(small_package: Path) -> None:
    layers = ("app | words", "stage")
    (small_package / "app.py").write_text("from pkg.words import WORD\n")
    problems = layer_violations(imports(small_package), "pkg", layers)
    assert "independent parts of one layer: pkg.app (line 1) imports pkg.words" in problems
    assert "lower layer imports a higher one: pkg.stage.one (line 1) imports pkg.words" in problems


def test_the_checker_names_a_part_without_a_layer(small_package: Path) -> None:
    (small_package / "extra.py").write_text("from pkg import words\n")
    problems = layer_violations(imports(small_package), "pkg", SMALL_LAYERS)
    assert problems == [f"pkg.extra has no layer: add it to LAYERS in {__name__}"]
