"""tools/mutation.py builds the mutants it claims to: one token changed inside a gradient rule,
and the one live function holding that rule found, so a run measures the tests, not the tool.
(Running mutants is the tool's job, not the suite's: ``python tools/mutation.py``.)"""

import ast
import os
import random
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
