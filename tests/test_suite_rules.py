"""The suite's own rules: every test can fail, and no test swallows an error.

Walks the syntax tree of every test module: each ``test_*`` function asserts (an ``assert``, a
``pytest.raises``/``warns``, a ``numpy.testing`` or ``check_*`` helper, or a call of a local helper
that does); no ``pytest.raises(Exception)`` / ``BaseException``; no ``except Exception`` (or a bare
``except``) whose body only passes or continues.
"""

import ast
import os

import pytest

ROOT = os.path.dirname(__file__)
_CHECKING = ("assert", "raises", "warns", "check", "testing", "verify", "expect", "close")


def _modules():
    for dirpath, _, files in os.walk(ROOT):
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(dirpath, name)
                with open(path) as f:
                    yield os.path.relpath(path, ROOT), ast.parse(f.read())


MODULES = list(_modules())

# Still to be fixed, each with its reason: the traced-vs-eager file skips a family that fails to
# import and a case that fails eagerly (those families' own tests report the failure).
KNOWN_SWALLOWS = {"test_function.py": 2}


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")


def _checks(fn, helpers: set) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if name in helpers or any(w in name.lower() for w in _CHECKING):
                return True
            text = ast.unparse(node.func)
            if "testing" in text:
                return True
    return False


@pytest.mark.parametrize("path,tree", MODULES, ids=[m[0] for m in MODULES])
def test_every_test_asserts(path, tree):
    funcs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    helpers = {f.name for f in funcs if not f.name.startswith("test_") and _checks(f, set())}
    helpers |= {f.name for f in funcs if not f.name.startswith("test_") and _checks(f, helpers)}
    silent = [f.name for f in funcs if f.name.startswith("test_") and not _checks(f, helpers)]
    assert not silent, f"{path}: tests that assert nothing: {silent}"


def _broad(node) -> bool:
    return node is None or ast.unparse(node) in ("Exception", "BaseException")


@pytest.mark.parametrize("path,tree", MODULES, ids=[m[0] for m in MODULES])
def test_no_test_swallows_an_error(path, tree):
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node) == "raises" and node.args \
                and _broad(node.args[0]):
            bad.append(f"line {node.lineno}: pytest.raises({ast.unparse(node.args[0])})")
        if isinstance(node, ast.ExceptHandler) and _broad(node.type) \
                and all(isinstance(s, (ast.Pass, ast.Continue)) for s in node.body):
            bad.append(f"line {node.lineno}: a broad except that passes or continues")
    assert len(bad) == KNOWN_SWALLOWS.get(path, 0), f"{path}: " + "; ".join(bad)
