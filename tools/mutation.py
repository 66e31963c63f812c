"""Plant single-token bugs in tapegrad's engine and gradient rules, one at a time, run the tests
that reach the mutated function, report the score (the share of mutants the tests kill) and the
survivors.

    python tools/mutation.py                        # every mutant (hand-written and generated)
    python tools/mutation.py --sample 300 --seed 0  # a deterministic sample (what CI runs)
    python tools/mutation.py --list                 # the mutants, without running anything

Generated mutants come from the syntax tree of ``tapegrad/ops/*.py`` (inside each VJP/JVP rule:
a ``defvjp``/``defjvp``/``defvjps`` argument, or a function registered by one) and of the
autodiff engine (``ENGINE``: every function and method): an operator is swapped (``+``/``-``,
``*``/``/``, ``**``→``*``, ``<``/``<=``, ``>``/``>=``, ``==``/``!=``), a unary minus dropped, a
number changed (``n``→``n + 1``, ``x``→``2x``) or a boolean flipped. ``MUTANTS`` adds
hand-written ones (the test-quality review's planted bugs).

Everything runs in one pytest session (``TESTS``), collected once. First every test runs on the
unmutated code under a profiler that records which of the mutated functions it calls, and how
long it takes. Then for each mutant the one function whose code changed gets the mutated code
(``__code__``) and the tests that call it run, fastest first, until one fails (*killed*) or none
is left (*survived*; a mutant no test reaches survives too). A mutant running past ``--timeout``
seconds counts as killed, as in mutmut. Exits non-zero when the score is below ``--min-score``.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import inspect
import io
import json
import os
import random
import signal
import sys
import threading
import time
import types

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
TESTS = ["tests/ops", "tests/test_ties.py", "tests/test_dtype_table.py", "tests/test_tape.py",
         "tests/test_forward.py", "tests/test_custom.py", "tests/test_tensor.py",
         "tests/test_variable.py", "tests/test_registry.py", "tests/test_public_gradients.py",
         "tests/test_packing.py", "tests/test_scatter.py", "tests/test_function.py"]
RULE_METHODS = {"defvjp", "defjvp", "defvjps"}
# the autodiff engine: every function and method in these files is mutated
ENGINE = ["tapegrad/engine/tape.py", "tapegrad/engine/backward.py", "tapegrad/engine/jacobians.py",
          "tapegrad/engine/registry.py", "tapegrad/engine/dtype_rules.py",
          "tapegrad/engine/indexed_slices.py"]

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


def _function_nodes(tree: ast.Module) -> list[ast.AST]:
    """Every module-level function and every method of a module-level class (the engine)."""
    funcs = (ast.FunctionDef, ast.AsyncFunctionDef)
    out = [n for n in tree.body if isinstance(n, funcs)]
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        out += [n for n in cls.body if isinstance(n, funcs)]
    return out


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
    """Nodes not mutated: argument defaults (evaluated once, outside the rule's code),
    ``strict=`` of ``zip`` (equivalent: the lengths always agree) and a warning's
    ``stacklevel=`` (it moves the line a warning names, which no value depends on)."""
    skip = set()
    for node in ast.walk(rule):
        if isinstance(node, ast.arguments):
            skip |= {id(n) for d in node.defaults + node.kw_defaults if d is not None
                     for n in ast.walk(d)}
        elif isinstance(node, ast.keyword) and node.arg in ("strict", "stacklevel"):
            skip.add(id(node.value))
    return skip


def generate(path: str, engine: bool = False) -> list[dict]:
    """Every generated mutant of one ops file's rules (or, ``engine``, of every function of an
    engine file), in source order."""
    with open(os.path.join(ROOT, path)) as f:
        source = f.read()
    lines = source.splitlines(keepends=True)
    tree = ast.parse(source)
    mutants, seen = [], set()
    for rule in (_function_nodes(tree) if engine else _rule_nodes(tree)):
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
    for path in ENGINE:
        out += generate(path, engine=True)
    return out


# -- running one mutant ---------------------------------------------------------------------------
def _codes(code: types.CodeType) -> list[types.CodeType]:
    return [c for c in code.co_consts if isinstance(c, types.CodeType)]


def _live_functions(module) -> list[types.FunctionType]:
    """The module's functions, the impl and rules of each primitive it defines, and the
    methods (plain, static, class, property accessors) of the classes it defines."""
    from tapegrad.engine.registry import Primitive  # the package under test, imported late
    out = []
    for value in vars(module).values():
        if isinstance(value, types.FunctionType):
            out.append(value)
        elif isinstance(value, Primitive):
            out += [value.impl, value.vjp, value.jvp, *(value.vjps or ())]
        elif isinstance(value, type) and value.__module__ == module.__name__:
            for attr in vars(value).values():
                if isinstance(attr, (staticmethod, classmethod)):
                    attr = attr.__func__
                out += [attr.fget, attr.fset, attr.fdel] if isinstance(attr, property) \
                    else [attr]
    return [f for f in out if isinstance(f, types.FunctionType)]


def _changed_codes(before: types.CodeType, after: types.CodeType) -> list[tuple]:
    """(old, new) function code objects that differ between two compiled modules, looking
    inside class bodies (a class body is not a function: no ``CO_OPTIMIZED``)."""
    old_codes, new_codes = _codes(before), _codes(after)
    if len(old_codes) != len(new_codes):
        raise ValueError("the mutant changes the module's structure")
    out = []
    for old, new in zip(old_codes, new_codes):
        if old == new:
            continue
        if old.co_flags & inspect.CO_OPTIMIZED:
            out.append((old, new))
        else:
            out += _changed_codes(old, new)
    return out


def _swap_plan(m: dict) -> list[tuple[types.FunctionType, types.CodeType]]:
    """(live function, mutated code) for the one function the mutant changes."""
    import importlib  # noqa: PLC0415  (kept beside its only use)
    path = os.path.join(ROOT, m["file"])
    with open(path) as f:
        source = f.read()
    mutated = source[:m["at"]] + m["new"] + source[m["at"] + len(m["old"]):]
    changed = _changed_codes(compile(source, path, "exec"), compile(mutated, path, "exec"))
    module = importlib.import_module(m["file"][:-3].replace("/", "."))
    live = _live_functions(module)
    plan = [(f, new) for old, new in changed for f in live if f.__code__ == old]
    if not plan:
        raise ValueError("no live function holds the mutated code")
    return plan


class _Timeout(Exception):
    """A mutant ran past its time (an endless loop is a caught bug, as in mutmut)."""


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout("the mutant ran past its time limit")


class Runner:
    """A pytest plugin that takes over the run loop: map the tests to the mutated functions on
    the unmutated code, then run each mutant against the tests that reach it."""

    def __init__(self, mutants: list[dict], timeout: float, log=print):
        self.mutants, self.timeout, self.log = mutants, timeout, log
        self.results: dict[str, str] = {}
        self._failed = False
        self.unmutated_failures: list[str] = []

    # -- pytest hooks --------------------------------------------------------------------------
    def pytest_runtest_logreport(self, report) -> None:
        if report.failed:
            self._failed = True

    def pytest_runtestloop(self, session) -> bool:
        plans = {}
        for m in self.mutants:
            try:
                plans[m["name"]] = _swap_plan(m)
            except (SyntaxError, ValueError) as e:
                self.results[m["name"]] = f"invalid: {e}"
        t0 = time.monotonic()
        reach, cost = self._map(session.items, plans)
        self.log(f"mapped {len(session.items)} tests to the mutated functions in "
                 f"{time.monotonic() - t0:.0f} s")
        for m in self.mutants:
            if m["name"] in plans:
                items = sorted(reach.get(m["name"], ()), key=cost.__getitem__)
                self.results[m["name"]] = self._run(plans[m["name"]], items)
            self.log(f"{self.results[m['name']]:9} {m['name']}")
        return True

    # -- the two phases ------------------------------------------------------------------------
    def _item(self, item) -> bool:
        """Run one test (setup, call, teardown); True when it passed."""
        self._failed = False
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            item.ihook.pytest_runtest_protocol(item=item, nextitem=None)
        return not self._failed

    def _map(self, items: list, plans: dict) -> tuple[dict, dict]:
        """The tests that call each mutant's function (by mutant name), and each test's time."""
        by_code: dict = {}
        for name, plan in plans.items():
            for f, _ in plan:
                by_code.setdefault(f.__code__, []).append(name)
        codes = set(by_code)
        reach: dict = {}
        cost: dict = {}
        for item in items:
            hit: set = set()

            def profile(frame, event, arg, hit=hit):
                if event == "call" and frame.f_code in codes:
                    hit.add(frame.f_code)

            t0 = time.perf_counter()
            sys.setprofile(profile)
            threading.setprofile(profile)
            try:
                passed = self._item(item)
            finally:
                sys.setprofile(None)
                threading.setprofile(None)
            cost[item] = time.perf_counter() - t0
            if not passed:  # a test failing on the unmutated code would kill every mutant
                self.unmutated_failures.append(item.nodeid)
                continue
            for code in hit:
                for name in by_code.get(code, ()):
                    reach.setdefault(name, []).append(item)
        return reach, cost

    def _run(self, plan: list, items: list) -> str:
        saved = [(f, f.__code__) for f, _ in plan]
        for f, code in plan:
            f.__code__ = code
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, self.timeout)
        try:
            for item in items:
                if not self._item(item):
                    return "killed"
            return "survived"
        except _Timeout:
            return "killed"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            for f, code in saved:
                f.__code__ = code


def run(mutants: list[dict], tests: list[str], timeout: float = 60.0, log=print) -> Runner:
    """Run ``mutants`` against ``tests`` in one pytest session; the runner holds the results."""
    import pytest  # noqa: PLC0415  (a dev tool: pytest only when mutants run)
    runner = Runner(mutants, timeout, log)
    with contextlib.redirect_stdout(io.StringIO()):
        pytest.main(["-q", "-s", "-p", "no:cacheprovider", "-p", "no:randomly", *tests],
                     plugins=[runner])
    return runner


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=0, help="run this many mutants (0: all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--min-score", type=float, default=0.9)
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds a mutant may run before it counts as killed")
    parser.add_argument("--report", help="write every result to this JSON file")
    parser.add_argument("--list", action="store_true", help="print the mutants and stop")
    parser.add_argument("--match", help="only the mutants whose name contains this text")
    parser.add_argument("--tests", nargs="+", default=TESTS,
                        help="the test paths to run the mutants against (default: TESTS)")
    args = parser.parse_args()
    os.chdir(ROOT)
    sys.path.insert(0, ROOT)
    mutants = [m for m in all_mutants() if args.match is None or args.match in m["name"]]
    if args.list:
        print("\n".join(m["name"] for m in mutants))
        print(f"{len(mutants)} mutants")
        return 0
    if args.sample:
        mutants = random.Random(args.seed).sample(mutants, min(args.sample, len(mutants)))
    t0 = time.monotonic()
    runner = run(mutants, args.tests, args.timeout,
                 log=lambda line: print(line, file=sys.__stdout__, flush=True))
    results = runner.results
    if runner.unmutated_failures:
        print(f"{len(runner.unmutated_failures)} tests fail on the unmutated code and were left "
              f"out: {runner.unmutated_failures[:5]}", flush=True)
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
