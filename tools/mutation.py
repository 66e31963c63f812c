"""Plant single-token bugs in a copy of tapegrad, one at a time, run the tests, report the score.

    python tools/mutation.py [--min-score 0.9]

Each mutant is (file, original text, mutated text); the original must occur exactly once. A mutant
is *killed* when the test run fails. Exits non-zero when the score is below ``--min-score``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
TESTS = ["tests/ops", "tests/test_ties.py", "tests/test_dtype_table.py"]

MUTANTS = [
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
    ("exp VJP uses x", "tapegrad/ops/math.py", "exp.defvjp(lambda g, ans, x: (g * ans,))",
     "exp.defvjp(lambda g, ans, x: (g * x,))"),
    ("sqrt VJP drops the 2", "tapegrad/ops/math.py",
     "sqrt.defvjp(lambda g, ans, x: (g / (2 * ans),))",
     "sqrt.defvjp(lambda g, ans, x: (g / ans,))"),
    ("minimum VJP at a tie goes to y", "tapegrad/ops/math.py",
     "unbroadcast(_masked(less_equal(x, y), g), x, ans)",
     "unbroadcast(_masked(less(x, y), g), x, ans)"),
    ("abs VJP ignores the sign", "tapegrad/ops/math.py",
     "abs.defvjp(lambda g, ans, x: (g * sign(x),))", "abs.defvjp(lambda g, ans, x: (g,))"),
    ("reduce_mean VJP not divided", "tapegrad/ops/reduce.py",
     "g if n == 1 else g / n", "g"),
]


def run_mutant(workdir: str, path: str, old: str, new: str) -> bool:
    """True when the tests fail on the mutant (it is killed)."""
    target = os.path.join(workdir, path)
    with open(target) as f:
        source = f.read()
    if source.count(old) != 1:
        raise SystemExit(f"mutant text not found exactly once in {path}: {old!r}")
    with open(target, "w") as f:
        f.write(source.replace(old, new))
    try:
        cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *TESTS]
        return subprocess.run(cmd, cwd=workdir, capture_output=True).returncode != 0
    finally:
        with open(target, "w") as f:
            f.write(source)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-score", type=float, default=0.9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        for part in ("tapegrad", "tests", "pyproject.toml"):
            src = os.path.join(ROOT, part)
            copy = shutil.copytree if os.path.isdir(src) else shutil.copy
            copy(src, os.path.join(workdir, part))
        killed = 0
        for name, path, old, new in MUTANTS:
            dead = run_mutant(workdir, path, old, new)
            killed += dead
            print(f"{'killed  ' if dead else 'SURVIVED'} {name}")
    score = killed / len(MUTANTS)
    print(f"mutation score: {killed}/{len(MUTANTS)} = {score:.0%}")
    return 0 if score >= args.min_score else 1


if __name__ == "__main__":
    sys.exit(main())
