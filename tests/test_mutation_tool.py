"""tools/mutation.py builds the mutants it claims to: one token changed inside a gradient rule,
and the one live function holding that rule found, so a run measures the tests, not the tool.
(Running mutants is the tool's job, not the suite's: ``python tools/mutation.py``.)"""

import ast
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tools"))
import mutation  # noqa: E402

MUTANTS = mutation.all_mutants()


def test_mutants_come_from_the_gradient_rules_of_every_family():
    families = {m["file"] for m in MUTANTS}
    assert len(MUTANTS) > 300
    assert {"tapegrad/ops/math.py", "tapegrad/ops/nn.py", "tapegrad/ops/linalg.py",
            "tapegrad/ops/reduce.py", "tapegrad/ops/conv.py"} <= families
    assert len({m["name"] for m in MUTANTS}) == len(MUTANTS)


def test_a_rule_lambda_gets_the_swaps():
    source = "p.defvjp(lambda g, ans, x, *, axis=0: (g * x - 2 < ans,))\n"
    tree = ast.parse(source)
    [rule] = mutation._rule_nodes(tree)
    lines = source.splitlines(keepends=True)
    found = sorted((old, new) for node in ast.walk(rule)
                   for _, old, new in mutation._node_mutants(source, lines, node)
                   if id(node) not in mutation._skipped(rule))
    assert found == [("*", "/"), ("-", "+"), ("2", "3"), ("<", "<=")]


def test_each_sampled_mutant_changes_one_live_function():
    sample = random.Random(0).sample(MUTANTS, 40)
    for m in sample:
        plan = mutation._swap_plan(m)
        assert plan and all(f.__code__ is not code for f, code in plan), m["name"]


def test_engine_methods_are_mutated_and_the_runner_kills_a_caught_bug():
    """A mutant in the engine (batch_jacobian's ZERO path) runs against the tests that reach
    it and is killed; the run's exit status says the score met the threshold."""
    engine = [m for m in MUTANTS if m["file"].startswith("tapegrad/engine/")]
    assert {m["file"] for m in engine} >= {"tapegrad/engine/tape.py",
                                           "tapegrad/engine/backward.py",
                                           "tapegrad/engine/jacobians.py"}
    with open(os.path.join(mutation.ROOT, "tapegrad/engine/jacobians.py")) as f:
        source = f.read()
    at = source.index("np.zeros((b,) + tshape[1:]") + len("np.zeros((b,) ")
    [m] = [m for m in engine if m["file"].endswith("jacobians.py") and m["at"] == at]
    out = subprocess.run([sys.executable, os.path.join(mutation.ROOT, "tools", "mutation.py"),
                          "--match", m["name"], "--tests", "tests/test_tape.py"],
                         capture_output=True, text=True, timeout=600, cwd=mutation.ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"killed    {m['name']}" in out.stdout
    assert "mutation score: 1/1 = 100.0%" in out.stdout
