"""Plant single-token bugs in tapegrad's gradient rules, one at a time, run the tests, report the
score (the share of mutants the tests kill) and the survivors.

    python tools/mutation.py                       # every mutant (hand-written and generated)
    python tools/mutation.py --sample 24 --seed 0  # a deterministic sample (what CI runs)
    python tools/mutation.py --list                # the mutants, without running anything

Generated mutants come from the syntax tree of ``tapegrad/ops/*.py``: inside each VJP/JVP rule
(a ``defvjp``/``defjvp``/``defvjps`` argument, or a function registered by one) an operator is
swapped (``+``/``-``, ``*``/``/``, ``**``→``*``, ``<``/``<=``, ``>``/``>=``, ``==``/``!=``), a
unary minus dropped, a number changed (``n``→``n + 1``, ``x``→``2x``) or a boolean flipped.
``MUTANTS`` adds hand-written ones (the test-quality review's planted bugs).

A mutant runs in this process: its module is compiled from the mutated text, and the one
function whose code changed gets the new code (``__code__``) while the tests run, under
``pytest.main`` (the family's own test file first, then ``TESTS``, with ``-x``); it is *killed*
when they fail.
Exits non-zero when the score is below ``--min-score``.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import json
import os
import random
import sys
import time
import types

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
TESTS = ["tests/ops", "tests/test_ties.py", "tests/test_dtype_table.py"]
RULE_METHODS = {"defvjp", "defjvp", "defvjps"}

MUTANTS = [  # (name, file, original text, mutated text); the original occurs exactly once
    ("floormod VJP for y: sign flipped", "tapegrad/ops/math.py",
     "unbroadcast(-g * floordiv(x, y), y, ans)", "unbroadcast(g * floordiv(x, y), y, ans)"),
    ("cumsum VJP: not reversed", "tapegrad/ops/cumulative.py",
     "reverse=not reverse),))", "reverse=reverse),))"),
    ("int cumsum returns int64", "tapegrad/ops/cumulative.py",
     "return _scan(np.cumsum, x, axis,",
     "return _scan(np.cumsum, x.astype(np.int64) if x.dtype.kind == 'i' else x, axis,"),
    ("maximum JVP at a tie takes y", "tapegrad/ops/math.py",
     "_pick_jvp(greater_equal(x, y), t, ans)", "_pick_jvp(greater(x, y), t, ans)"),
    ("reduce_max JVP: tie mask not normalised", "tapegrad/ops/reduce.py",
     "return _reduce_sum(t[0] * _extremum_weights(ans, x, axes),",
     "return _reduce_sum(t[0] * _cast(equal(x, _keep(ans, x, axes)), dtype=x._value.dtype),"),
    ("cast VJP keeps the target dtype", "tapegrad/ops/math.py",
     "return (_cast(g, dtype=xd) if xd.kind", "return (g if xd.kind"),
    ("minimum VJP at a tie goes to y", "tapegrad/ops/math.py",
     "unbroadcast(_masked(less_equal(x, y), g), x, ans)",
     "unbroadcast(_masked(less(x, y), g), x, ans)"),
    ("SAME padding: odd row before", "tapegrad/ops/conv.py",
     "return (total // 2, total - total // 2)", "return (total - total // 2, total // 2)"),
]

_SWAPS = {ast.Add: "-", ast.Sub: "+", ast.Mult: "/", ast.Div: "*", ast.Pow: "*",
          ast.Lt: "<=", ast.LtE: "<", ast.Gt: ">=", ast.GtE: ">", ast.Eq: "!=", ast.NotEq: "=="}
_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**",
            ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==",
            ast.NotEq: "!="}


# -- generating mutants ---------------------------------------------------------------------------
def _rule_nodes(tree: ast.Module) -> list[ast.AST]:
    """The module-level VJP/JVP rules: lambdas and functions given to defvjp/defjvp/defvjps."""
    defs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    rules = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Attribute) and d.attr in RULE_METHODS
                for d in node.decorator_list):
            rules.append(node)
        call = node.value if isinstance(node, ast.Expr) else None
        if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and call.func.attr in RULE_METHODS):
            for arg in call.args:
                if isinstance(arg, ast.Lambda):
                    rules.append(arg)
                elif isinstance(arg, ast.Name) and arg.id in defs:
                    rules.append(defs[arg.id])
    return list({id(r): r for r in rules}.values())


def _offset(lines: list[str], lineno: int, col: int) -> int:
    return sum(len(line) for line in lines[:lineno - 1]) + len(
        lines[lineno - 1].encode()[:col].decode())


def _between(source, lines, left, right, symbol) -> int | None:
    """Offset of ``symbol`` alone between two nodes (``a * b``, ``(a) * (b)``), else None."""
    start = _offset(lines, left.end_lineno, left.end_col_offset)
    end = _offset(lines, right.lineno, right.col_offset)
    gap = source[start:end]
    bare = gap.replace("(", " ").replace(")", " ").replace("\\\n", " ")
    return start + gap.index(symbol) if bare.split() == [symbol] else None


def _node_mutants(source, lines, node) -> list[tuple[int, str, str]]:
    """(offset, old text, new text) for each mutation of ``node`` itself."""
    out = []
    if isinstance(node, ast.BinOp) and type(node.op) in _SWAPS:
        sym = _SYMBOLS[type(node.op)]
        at = _between(source, lines, node.left, node.right, sym)
        if at is not None:
            out.append((at, sym, _SWAPS[type(node.op)]))
    elif isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _SWAPS:
        sym = _SYMBOLS[type(node.ops[0])]
        at = _between(source, lines, node.left, node.comparators[0], sym)
        if at is not None:
            out.append((at, sym, _SWAPS[type(node.ops[0])]))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        out.append((_offset(lines, node.lineno, node.col_offset), "-", ""))
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float, bool):
        old = ast.get_source_segment(source, node)
        new = (str(not node.value) if isinstance(node.value, bool) else
               str(node.value + 1) if isinstance(node.value, int) else
               repr(node.value * 2 if node.value else 1.0))
        out.append((_offset(lines, node.lineno, node.col_offset), old, new))
    return out


def _skipped(rule: ast.AST) -> set[int]:
    """Nodes not mutated: argument defaults (evaluated once, outside the rule's code) and
    ``strict=`` of ``zip`` (equivalent: the lengths always agree)."""
    skip = set()
    for node in ast.walk(rule):
        if isinstance(node, ast.arguments):
            skip |= {id(n) for d in node.defaults + node.kw_defaults if d is not None
                     for n in ast.walk(d)}
        elif isinstance(node, ast.keyword) and node.arg == "strict":
            skip.add(id(node.value))
    return skip


def generate(path: str) -> list[dict]:
    """Every generated mutant of one ops file, in source order."""
    with open(os.path.join(ROOT, path)) as f:
        source = f.read()
    lines = source.splitlines(keepends=True)
    tree = ast.parse(source)
    mutants, seen = [], set()
    for rule in _rule_nodes(tree):
        skip = _skipped(rule)
        for node in ast.walk(rule):
            if id(node) in skip:
                continue
            for at, old, new in _node_mutants(source, lines, node):
                if at in seen or source[at:at + len(old)] != old:
                    continue
                seen.add(at)
                line = source.count("\n", 0, at) + 1
                col = at - source.rfind("\n", 0, at)
                mutants.append({"name": f"{path}:{line}:{col}: {old!r} -> {new!r}", "file": path,
                                "at": at, "old": old, "new": new})
    return mutants


def all_mutants() -> list[dict]:
    """The hand-written mutants, then the generated ones, each with a stable name."""
    out = []
    for name, path, old, new in MUTANTS:
        with open(os.path.join(ROOT, path)) as f:
            source = f.read()
        if source.count(old) != 1:  # the code moved on: say so, run the others
            print(f"stale hand-written mutant skipped ({name}): {old!r} is not in {path} "
                  f"exactly once", file=sys.stderr)
            continue
        out.append({"name": name, "file": path, "at": source.index(old), "old": old,
                    "new": new})
    ops = os.path.join(ROOT, "tapegrad", "ops")
    for fname in sorted(os.listdir(ops)):
        if fname.endswith(".py") and fname != "__init__.py":
            out += generate(f"tapegrad/ops/{fname}")
    return out


# -- running one mutant ---------------------------------------------------------------------------
def _codes(code: types.CodeType) -> list[types.CodeType]:
    return [c for c in code.co_consts if isinstance(c, types.CodeType)]


def _live_functions(module) -> list[types.FunctionType]:
    """The module's functions, and the impl and rules of each primitive it defines."""
    from tapegrad.engine.registry import Primitive  # the package under test, imported late
    out = []
    for value in vars(module).values():
        if isinstance(value, types.FunctionType):
            out.append(value)
        elif isinstance(value, Primitive):
            out += [value.impl, value.vjp, value.jvp, *(value.vjps or ())]
    return [f for f in out if isinstance(f, types.FunctionType)]


def _swap_plan(m: dict) -> list[tuple[types.FunctionType, types.CodeType]]:
    """(live function, mutated code) for the one top-level function the mutant changes."""
    import importlib  # noqa: PLC0415  (kept beside its only use)
    path = os.path.join(ROOT, m["file"])
    with open(path) as f:
        source = f.read()
    mutated = source[:m["at"]] + m["new"] + source[m["at"] + len(m["old"]):]
    before = _codes(compile(source, path, "exec"))
    after = _codes(compile(mutated, path, "exec"))
    if len(before) != len(after):
        raise ValueError("the mutant changes the module's structure")
    module = importlib.import_module(m["file"][:-3].replace("/", "."))
    live = _live_functions(module)
    plan = []
    for old, new in zip(before, after):
        if old != new:
            plan += [(f, new) for f in live if f.__code__ == old]
    if not plan:
        raise ValueError("no live function holds the mutated code")
    return plan


def run_mutant(m: dict, tests: list[str]) -> str:
    """'killed', 'survived' or 'invalid: why'."""
    import pytest  # noqa: PLC0415  (a dev tool: pytest only when mutants run)
    try:
        plan = _swap_plan(m)
    except (SyntaxError, ValueError) as e:
        return f"invalid: {e}"
    family = "tests/ops/test_" + os.path.basename(m["file"])
    first = [family] if os.path.exists(os.path.join(ROOT, family)) else []
    saved = [(f, f.__code__) for f, _ in plan]
    for f, code in plan:
        f.__code__ = code
    try:
        for paths in ([first, tests] if first else [tests]):  # most die in their own family
            with contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()):
                rc = pytest.main(["-q", "-x", "-p", "no:cacheprovider", *paths])
            if rc not in (0, 5):
                return "killed"
    finally:
        for f, code in saved:
            f.__code__ = code
    return "survived"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=0, help="run this many mutants (0: all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--min-score", type=float, default=0.9)
    parser.add_argument("--report", help="write every result to this JSON file")
    parser.add_argument("--list", action="store_true", help="print the mutants and stop")
    args = parser.parse_args()
    os.chdir(ROOT)
    sys.path.insert(0, ROOT)
    mutants = all_mutants()
    if args.list:
        print("\n".join(m["name"] for m in mutants))
        print(f"{len(mutants)} mutants")
        return 0
    if args.sample:
        mutants = random.Random(args.seed).sample(mutants, min(args.sample, len(mutants)))
    t0, results = time.monotonic(), {}
    for m in mutants:
        results[m["name"]] = run_mutant(m, TESTS)
        print(f"{results[m['name']]:9} {m['name']}", flush=True)
    valid = [r for r in results.values() if not r.startswith("invalid")]
    killed = sum(r == "killed" for r in valid)
    score = killed / max(len(valid), 1)
    print(f"mutation score: {killed}/{len(valid)} = {score:.1%} "
          f"({len(results) - len(valid)} invalid) in {time.monotonic() - t0:.0f} s")
    if args.report:
        with open(args.report, "w") as f:
            json.dump({"score": score, "killed": killed, "valid": len(valid),
                       "results": results}, f, indent=1)
    return 0 if score >= args.min_score else 1


if __name__ == "__main__":
    sys.exit(main())
