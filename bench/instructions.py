"""Instructions per recorded op on the chain, counted by valgrind's callgrind: a figure that,
unlike a timing, does not move with the load of a shared machine.

    python bench/instructions.py            # eager chain (record + gradient), per op
    python bench/instructions.py --ops 4000

Two chains of N and 2N steps are counted in separate processes; the difference divided by the
extra ops is the cost per op, free of start-up and import.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_CHAIN = """
import tapegrad as tf
x = tf.constant(1.0)
def run(n):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x
        for _ in range(n):
            y = y * 1.0001 + 0.0001
    return tape.gradient(y, x)
run(50)
run({n})
"""


def count(n: int) -> int:
    """Instructions of a whole process that runs a chain of ``n`` steps (2n ops)."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "cg.out")
        env = dict(os.environ, PYTHONPATH=ROOT, OPENBLAS_NUM_THREADS="1")
        p = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                            sys.executable, "-c", _CHAIN.format(n=n)],
                           capture_output=True, text=True, env=env, cwd=ROOT)
        m = re.search(r"Collected : (\d+)", p.stderr)
        if p.returncode != 0 or m is None:
            raise RuntimeError(p.stderr.strip().splitlines()[-1] if p.stderr else "valgrind failed")
        return int(m.group(1))


def main(argv: list[str] | None = None) -> float:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ops", type=int, default=2000, help="extra recorded ops (default 2000)")
    args = ap.parse_args(argv)
    n = args.ops // 2
    per_op = (count(2 * n) - count(n)) / (2 * n)
    print(f"{per_op:,.0f} instructions per recorded op (record + gradient)")
    return per_op


if __name__ == "__main__":
    main()
