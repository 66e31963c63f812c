"""List every public name of TensorFlow 2.21 in the namespaces GradientTape programs use and
whether tapegrad has it. Run where TensorFlow is installed, from the repository root:

    python tools/api_coverage.py > docs/api_coverage.md

It writes a Markdown table (per namespace: names in TF, names tapegrad has, the share) and the
missing names; ``docs/porting.md`` carries the table.
"""

from __future__ import annotations

import importlib
import sys

NAMESPACES = ["", "math", "nn", "linalg", "random", "image", "data", "nest", "distribute",
              "summary", "errors", "autodiff", "debugging", "keras", "keras.layers",
              "keras.optimizers", "keras.losses", "keras.metrics", "keras.callbacks",
              "keras.activations", "keras.initializers",
              # the script around the model
              "config", "config.experimental", "config.threading", "train", "io", "io.gfile",
              "audio", "dtypes", "version", "autograph", "compat.v1.logging"]


def _public(mod) -> set:
    return {n for n in dir(mod) if not n.startswith("_")}


def _resolve(root, path: str):
    mod = root
    for part in filter(None, path.split(".")):
        mod = getattr(mod, part, None)
        if mod is None:
            return None
    return mod


def main() -> int:
    import tensorflow as tf  # noqa: PLC0415  (the reference: only where TF is installed)
    sys.path.insert(0, ".")
    tg = importlib.import_module("tapegrad")
    rows, missing = [], {}
    for ns in NAMESPACES:
        ref = _resolve(tf, ns)
        if ref is None:
            continue
        names = _public(ref) - {n for n in _public(ref) if type(getattr(ref, n, None)).__name__
                                == "module" and ns == ""}
        ours = _resolve(tg, ns)
        have = {n for n in names if ours is not None and hasattr(ours, n)}
        rows.append((f"tf.{ns}" if ns else "tf", len(names), len(have)))
        missing[f"tf.{ns}" if ns else "tf"] = sorted(names - have)
    print(f"TensorFlow {tf.__version__}; tapegrad {tg.__version__}\n")
    print("| namespace | TF names | tapegrad has | share |\n|---|---:|---:|---:|")
    for ns, n, h in rows:
        print(f"| `{ns}` | {n} | {h} | {100 * h / max(n, 1):.0f}% |")
    total, have = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"| all | {total} | {have} | {100 * have / max(total, 1):.0f}% |\n")
    for ns, names in missing.items():
        if names:
            print(f"- `{ns}` missing ({len(names)}): " + ", ".join(f"`{n}`" for n in names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
