"""``python -m tapegrad check FILE.py``: read a TensorFlow program's source (its AST, without
running it) and list every ``tf.`` name it uses that tapegrad lacks, with its line."""

from __future__ import annotations

import ast
from typing import Any

__all__ = ["check_source"]

_PORTING = "docs/porting.md"
_TF_MODULES = {"tensorflow", "keras"}


def _aliases(tree: ast.AST) -> dict:
    """Local names bound to TensorFlow modules: ``import tensorflow as tf`` -> {"tf": ""}."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                top, _, rest = a.name.partition(".")
                if top in _TF_MODULES:
                    prefix = rest if top == "tensorflow" else ("keras." + rest).rstrip(".")
                    out[a.asname or top] = prefix if a.asname else ""
        elif isinstance(node, ast.ImportFrom) and node.module:
            top, _, rest = node.module.partition(".")
            if top in _TF_MODULES and node.level == 0:
                base = rest if top == "tensorflow" else ("keras." + rest).rstrip(".")
                for a in node.names:
                    out[a.asname or a.name] = f"{base}.{a.name}".lstrip(".")
    return out


def _chain(node: ast.AST) -> list | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id] + parts[::-1]
    return None


def check_source(source: str, root: Any = None) -> list[tuple[int, str]]:
    """(line, dotted TF name) for each name the program uses that ``root`` (tapegrad) lacks.

    >>> check_source("import tensorflow as tf\\nx = tf.zeros(3)\\ny = tf.no_such_name(x)\\n")
    [(3, 'tf.no_such_name')]
    """
    import tapegrad  # noqa: PLC0415  (reason: the package being checked against, loaded lazily)
    root = tapegrad if root is None else root
    tree = ast.parse(source)
    aliases = _aliases(tree)
    found, seen = [], set()
    for node in ast.walk(tree):
        chain = _chain(node) if isinstance(node, (ast.Attribute, ast.Name)) else None
        if not chain or chain[0] not in aliases or isinstance(getattr(node, "ctx", None),
                                                                ast.Store):
            continue
        path = [p for p in aliases[chain[0]].split(".") if p] + chain[1:]
        obj, ok = root, True
        for p in path:
            if not hasattr(obj, p):
                ok = False
                break
            obj = getattr(obj, p)
        name = ".".join(["tf"] + path)
        if not ok and (node.lineno, name) not in seen:
            seen.add((node.lineno, name))
            found.append((node.lineno, name))
    # keep the longest chain of each line only once (tf.a.b also visits tf.a)
    found = [(ln, n) for ln, n in found if not any(m != n and m.startswith(n + ".") and lm == ln
                                                   for lm, m in found)]
    return sorted(set(found), key=lambda x: (x[0], x[1]))


def main(path: str) -> int:
    """Print the missing names of the program at ``path``; 0 when nothing is missing."""
    with open(path, encoding="utf-8") as f:
        missing = check_source(f.read())
    for line, name in missing:
        print(f"{path}:{line}: {name} is not in tapegrad (see {_PORTING})")
    print(f"{len(missing)} missing name(s) in {path}")
    return 1 if missing else 0
