"""The package's layering, checked from its source: no import cycle (function-level imports
included), few function-level imports, each with its reason, and a small engine."""

import ast
import os

import tapegrad

PKG = os.path.dirname(tapegrad.__file__)


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def _modules() -> dict:
    mods = {}
    for d, _, files in os.walk(PKG):
        for f in files:
            if f.endswith(".py"):
                path = os.path.join(d, f)
                rel = os.path.relpath(path, os.path.dirname(PKG))[:-3].replace(os.sep, ".")
                mods[rel[:-9] if rel.endswith(".__init__") else rel] = path
    return mods


def _resolve(mod: str, is_pkg: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = mod.split(".") if is_pkg else mod.split(".")[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(mods: dict):
    """(module, imported module, line, inside a function?) for every tapegrad import."""
    out = []
    for mod, path in mods.items():
        tree = ast.parse(_read(path))
        fn_lines = set()
        for n in ast.walk(tree):
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
                fn_lines.update(range(n.lineno, n.end_lineno + 1))
        for n in ast.walk(tree):
            if isinstance(n, ast.Import):
                targets = [a.name for a in n.names]
            elif isinstance(n, ast.ImportFrom):
                base = _resolve(mod, path.endswith("__init__.py"), n)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base
                           for a in n.names]
            else:
                continue
            for t in targets:
                while t not in mods and "." in t:
                    t = t.rsplit(".", 1)[0]
                if t in mods and t != mod and t.startswith("tapegrad"):
                    out.append((mod, t, n.lineno, n.lineno in fn_lines))
    return out


def _cycles(edges: dict) -> list:
    """Strongly connected components with more than one module (iterative Tarjan)."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(edges.get(w, ()))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def test_no_import_cycle():
    edges: dict = {}
    for a, b, _, _ in _imports(_modules()):
        edges.setdefault(a, set()).add(b)
    assert _cycles(edges) == [], f"import cycles: {_cycles(edges)}"


def test_cycle_finder_sees_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_bottom_layer_imports_nothing_of_tapegrad():
    mods = _modules()
    bad = [(a, b) for a, b, _, _ in _imports(mods) if a == "tapegrad.engine.state"]
    assert bad == []


def test_the_engine_imports_nothing_above_it():
    mods = _modules()
    bad = [(a, b, line) for a, b, line, _ in _imports(mods)
           if a.startswith("tapegrad.engine") and not b.startswith("tapegrad.engine")]
    assert bad == [], f"engine modules importing upward: {bad}"


def test_no_engine_function_over_60_lines():
    long = []
    for mod, path in _modules().items():
        if not mod.startswith("tapegrad.engine"):
            continue
        for n in ast.walk(ast.parse(_read(path))):
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if n.end_lineno - n.lineno + 1 > 60:
                    long.append(f"{mod}.{n.name}: {n.end_lineno - n.lineno + 1} lines")
    assert long == [], long


OPTIONAL_EXTRAS = {"matplotlib", "h5py", "mpi4py", "safetensors", "PIL", "tensorboard", "pydot",
                   "graphviz", "scipy"}
MAX_FUNCTION_LEVEL_IMPORTS = 10


def _function_level_imports():
    """(module, line number, source line, top-level package) of every import inside a function."""
    out = []
    for mod, path in _modules().items():
        src = _read(path)
        lines = src.splitlines()
        for fn in ast.walk(ast.parse(src)):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for n in ast.walk(fn):
                if isinstance(n, ast.Import):
                    top = n.names[0].name.split(".")[0]
                elif isinstance(n, ast.ImportFrom):
                    top = "tapegrad" if n.level else (n.module or "").split(".")[0]
                else:
                    continue
                out.append((mod, n.lineno, lines[n.lineno - 1], top))
    return out


def test_few_function_level_imports_each_with_its_reason():
    """A function-level import is a smell: allowed for an optional extra, or for a tapegrad
    module with a one-line reason in a comment on the import, and at most ten of those."""
    found = _function_level_imports()
    own = [f for f in found if f[3] == "tapegrad"]
    assert len(own) <= MAX_FUNCTION_LEVEL_IMPORTS, own
    unexplained = [f"{m}:{n}" for m, n, line, _ in own if "#" not in line]
    assert unexplained == [], f"function-level imports without a reason: {unexplained}"
    foreign = [f"{m}:{n} {top}" for m, n, _, top in found
               if top != "tapegrad" and top not in OPTIONAL_EXTRAS]
    assert foreign == [], f"function-level imports of non-optional packages: {foreign}"


CORE = ("tensor", "variable", "registry", "tape", "backward")
CORE_BUDGET = 1000


def _code_lines(path: str) -> int:
    """Lines that are code: not blank, not a comment, not inside a docstring."""
    src = _read(path)
    doc = set()
    for n in ast.walk(ast.parse(src)):
        if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = n.body[0] if n.body else None
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                doc.update(range(first.lineno, first.end_lineno + 1))
    return sum(1 for i, line in enumerate(src.splitlines(), 1)
               if line.strip() and not line.strip().startswith("#") and i not in doc)


def test_the_core_fits_in_one_sitting():
    """Tensor, Variable, the registry, the tape and the backward pass: at most 1,000 lines of
    code together (docstrings and comments are not counted: the budget must not squeeze out
    the documentation)."""
    mods = _modules()
    sizes = {m: _code_lines(mods[f"tapegrad.engine.{m}"]) for m in CORE}
    assert sum(sizes.values()) <= CORE_BUDGET, sizes


def test_code_lines_skip_docstrings_and_comments(tmp_path):
    p = tmp_path / "m.py"
    p.write_text('"""doc\n\nmore"""\n\n# note\ndef f():\n    """x"""\n    return 1\n')
    assert _code_lines(str(p)) == 2
