"""The package's layers: imports run down only, siblings stay apart, no cycle between files.

The imports of every file under ``src/newsscope`` are read with :mod:`ast` -- module-level and
function-level ``import``/``from ... import``, relative imports and ``importlib.import_module``/
``__import__`` with a literal name -- so a lazy import inside a function counts like any other.
See DESIGN.md, "Layers".
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "newsscope"

# Bottom to top. A level holds one or more groups; a group may import its own modules (no cycles)
# and anything on a lower level; groups on the same level (siblings) never import each other.
LEVELS: list[dict[str, list[str]]] = [
    {"base": ["newsscope", "newsscope.paths", "newsscope.cache", "newsscope.cores", "newsscope.config", "newsscope.plots",
              "newsscope.progress", "newsscope.parts"]},
    {"schema": ["newsscope.schema"]},
    {"parsing": ["newsscope.parsing"]},
    {"corpus loaders": ["newsscope.corpus", "newsscope.fetch"]},
    {"synth": ["newsscope.synth", "newsscope.synth_articles", "newsscope.synth_html"]},
    {"clean": ["newsscope.clean"]},
    {"vectorize": ["newsscope.vectorize"]},
    {"trends": ["newsscope.trends"], "actors": ["newsscope.actors"], "topics": ["newsscope.topics"]},
    {"engine": ["newsscope.engine"]},
    {"cli": ["newsscope.runner", "newsscope.cli", "newsscope.cli_parse", "newsscope.cli_stream", "newsscope.__main__"]},
]


@dataclass(frozen=True)
class Import:
    """One import of a package module: who imports what, where."""

    source: str      # importing module
    target: str      # imported module (a file of the package)
    path: str        # importing file, relative to src/
    line: int
    text: str        # the source line


def module_name(path: Path, src: Path) -> str:
    """``src/newsscope/clean/__init__.py`` -> ``newsscope.clean``."""
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def list_modules(src: Path) -> dict[str, Path]:
    """Every module of the package under ``src`` -> its file."""
    return {module_name(p, src): p for p in sorted((src / PACKAGE).rglob("*.py"))}


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module file behind a dotted name (``pkg.mod.attr`` -> ``pkg.mod``), or None if outside."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def read_imports(module: str, path: Path, modules: dict[str, Path], src: Path) -> list[Import]:
    """Every import of a package module in ``path``, wherever it stands in the file."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    is_package = path.name == "__init__.py"
    found: list[Import] = []
    seen: set[tuple[str, int]] = set()

    def add(node: ast.AST, dotted: str) -> None:
        target = _resolve(dotted, modules)
        if target is not None and target != module and (target, node.lineno) not in seen:
            seen.add((target, node.lineno))
            found.append(Import(module, target, str(path.relative_to(src)), node.lineno, lines[node.lineno - 1].strip()))

    for node in ast.walk(ast.parse(text, filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(node, alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            for alias in node.names:  # `from pkg import mod` imports the module pkg.mod
                full = f"{prefix}.{alias.name}"
                add(node, full if full in modules else prefix)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in {"import_module", "__import__"}:
                add(node, node.args[0].value)
    return found


def layer_of(module: str) -> tuple[int, str] | None:
    """(level, group) of a module: the longest matching prefix in :data:`LEVELS`."""
    best: tuple[int, int, str] | None = None
    for level, groups in enumerate(LEVELS):
        for group, prefixes in groups.items():
            for prefix in prefixes:
                root_only = prefix == PACKAGE
                if module == prefix or (not root_only and module.startswith(prefix + ".")):
                    if best is None or len(prefix) > best[0]:
                        best = (len(prefix), level, group)
    return None if best is None else (best[1], best[2])


def find_violations(imports: list[Import]) -> list[str]:
    """Upward and sibling imports, each named with its file, line and text."""
    out = []
    for imp in imports:
        (lo, go), (lt, gt) = layer_of(imp.source), layer_of(imp.target)
        if lt > lo:
            kind = "upward"
        elif lt == lo and gt != go:
            kind = "sibling"
        else:
            continue
        out.append(f"{imp.path}:{imp.line}: {kind} import {imp.source} ({go}) -> {imp.target} ({gt}): {imp.text}")
    return out


def find_cycles(imports: list[Import]) -> list[str]:
    """Every import cycle between files (strongly connected components of more than one file)."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        graph.setdefault(imp.source, set()).add(imp.target)
        graph.setdefault(imp.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                components.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    out = []
    for comp in components:
        members = set(comp)
        edges = [f"    {i.path}:{i.line}: {i.source} -> {i.target}: {i.text}" for i in imports
                 if i.source in members and i.target in members]
        out.append(f"cycle of {len(comp)} files: {', '.join(comp)}\n" + "\n".join(edges))
    return out


def check_layers(src: Path) -> tuple[list[str], list[str], list[str]]:
    """(modules without a layer, upward/sibling imports, cycles) for the package under ``src``."""
    modules = list_modules(src)
    imports = [imp for name, path in modules.items() for imp in read_imports(name, path, modules, src)]
    unplaced = sorted(m for m in modules if layer_of(m) is None)
    if unplaced:
        return unplaced, [], []
    return unplaced, find_violations(imports), find_cycles(imports)


def test_every_module_has_a_layer():
    unplaced, _, _ = check_layers(SRC)
    assert not unplaced, f"modules with no layer (add them to LEVELS in tests/test_layers.py): {unplaced}"


def test_imports_run_down_the_layers():
    _, violations, _ = check_layers(SRC)
    assert not violations, "imports against the layers:\n" + "\n".join(violations)


def test_no_import_cycle_between_files():
    _, _, cycles = check_layers(SRC)
    assert not cycles, "\n".join(cycles)


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, code in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code, encoding="utf-8")
    return root


def test_the_reader_sees_every_kind_of_import(tmp_path):
    """Function-level, relative, ``from . import x`` and import-by-string imports all count."""
    src = _write(tmp_path, {
        "newsscope/__init__.py": "",
        "newsscope/clean/__init__.py": "from newsscope.clean import loading\n",
        "newsscope/clean/settings.py": "",
        "newsscope/clean/loading.py": (
            "from . import settings\n"
            "from .settings import X\n"
            "def f():\n"
            "    from newsscope.engine.base import get_engine\n"
            "    import importlib\n"
            "    importlib.import_module('newsscope.engine')\n"
            "    from .. import engine\n"
            "    import pandas\n"
        ),
        "newsscope/engine/__init__.py": "",
        "newsscope/engine/base.py": "",
    })
    modules = list_modules(src)
    found = read_imports("newsscope.clean.loading", src / "newsscope/clean/loading.py", modules, src)
    assert sorted((i.target, i.line) for i in found) == [
        ("newsscope.clean.settings", 1), ("newsscope.clean.settings", 2), ("newsscope.engine", 6),
        ("newsscope.engine", 7), ("newsscope.engine.base", 4),
    ]
    package = read_imports("newsscope.clean", src / "newsscope/clean/__init__.py", modules, src)
    assert [(i.target, i.line) for i in package] == [("newsscope.clean.loading", 1)]


def test_a_bad_import_is_named(tmp_path):
    """An upward import, a sibling import and a cycle each fail with the file and line."""
    src = _write(tmp_path, {
        "newsscope/__init__.py": "",
        "newsscope/paths.py": "",
        "newsscope/corpus.py": "def load():\n    from newsscope.clean import loading\n",
        "newsscope/clean/__init__.py": "from newsscope.clean.loading import load_clean\n",
        "newsscope/clean/loading.py": "from newsscope import corpus\nimport newsscope.paths\n",
        "newsscope/trends/__init__.py": "from newsscope.topics import fit_topics\n",
        "newsscope/topics/__init__.py": "",
    })
    unplaced, violations, cycles = check_layers(src)
    assert unplaced == []
    assert violations == [
        "newsscope/corpus.py:2: upward import newsscope.corpus (corpus loaders) -> newsscope.clean.loading (clean): "
        "from newsscope.clean import loading",
        "newsscope/trends/__init__.py:1: sibling import newsscope.trends (trends) -> newsscope.topics (topics): "
        "from newsscope.topics import fit_topics",
    ]
    assert len(cycles) == 1
    assert cycles[0].startswith("cycle of 2 files: newsscope.clean.loading, newsscope.corpus\n")
    assert "newsscope/clean/loading.py:1: newsscope.clean.loading -> newsscope.corpus: from newsscope import corpus" in cycles[0]
    _write(src, {"newsscope/stray.py": ""})
    assert check_layers(src)[0] == ["newsscope.stray"]
