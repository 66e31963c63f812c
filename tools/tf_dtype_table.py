"""Record TensorFlow's output dtypes and shapes for the dtype table (tests/dtype_cases.py).

Run from the repository root with a Python that has TensorFlow 2.21:

    python tools/tf_dtype_table.py        # writes tests/data/tf_dtype_table.json

Each case and dtype gives ``{"dtypes": [...], "shapes": [...]}`` for the outputs, or
``{"error": "TypeError"}`` (the class TF raised) when TF refuses the dtype.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from tests.dtype_cases import CASES, DTYPES, run  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "tf_dtype_table.json")


def record(expression: str, dtype: str) -> dict:
    try:
        out = run(tf, expression, dtype)
    except Exception as e:  # noqa: BLE001 - the class TF raised is the recorded answer
        return {"error": type(e).__name__}
    outs = out if isinstance(out, tuple) else (out,)
    return {"dtypes": [o.dtype.name for o in outs], "shapes": [list(o.shape) for o in outs]}


def main() -> None:
    table = {"tensorflow": tf.__version__,
             "cases": {name: {"expression": expr,
                              "results": {d: record(expr, d) for d in DTYPES}}
                       for name, expr in CASES.items()}}
    with open(OUT, "w") as f:
        json.dump(table, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
