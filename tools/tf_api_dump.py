"""Dump TF 2.21's and Keras 3's public names with their signatures to tests/data/tf_api.json.

Run from the repository root with a Python that has TensorFlow 2.21 and Keras 3:

    python tools/tf_api_dump.py

For each namespace (``tf``, ``tf.math``, ``tf.nn``, …, ``keras.layers``, …) every public name is
recorded with its kind (function, class, module, constant) and, where Python can read one, its
parameters in order (name, kind, whether it has a default). Classes also get their public
methods' parameters (``Model.fit``, ``Layer.call`` …). tests/test_signatures.py reads the file.
"""

from __future__ import annotations

import inspect
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "tf_api.json")

TF_SPACES = ["", "math", "nn", "linalg", "random", "image", "data", "nest", "distribute",
             "summary", "errors", "autodiff", "debugging", "dtypes"]
KERAS_SPACES = ["", "layers", "models", "optimizers", "optimizers.schedules", "losses", "metrics",
                "callbacks", "activations", "initializers", "regularizers", "constraints", "utils",
                "ops", "mixed_precision", "saving", "backend", "datasets"]


def params(obj) -> list | None:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    return [[p.name, p.kind.name, p.default is not inspect.Parameter.empty]
            for p in sig.parameters.values()]


def describe(obj) -> dict:
    if inspect.ismodule(obj):
        return {"kind": "module"}
    if inspect.isclass(obj):
        methods = {}
        for name, member in inspect.getmembers(obj):
            if name.startswith("_") or not callable(member):
                continue
            methods[name] = params(member)
        return {"kind": "class", "params": params(obj), "methods": methods}
    if callable(obj):
        return {"kind": "function", "params": params(obj)}
    return {"kind": "constant", "type": type(obj).__name__}


def walk(root, prefix: str, spaces: list[str]) -> dict:
    out = {}
    for space in spaces:
        mod = root
        for part in filter(None, space.split(".")):
            mod = getattr(mod, part)
        names = {}
        for name in dir(mod):
            if name.startswith("_"):
                continue
            try:
                names[name] = describe(getattr(mod, name))
            except Exception as e:  # noqa: BLE001 - a name TF cannot even build is noted, not fatal
                names[name] = {"kind": "unreadable", "error": type(e).__name__}
        out[".".join(filter(None, [prefix, space]))] = names
    return out


def main() -> None:
    api = {"tensorflow": tf.__version__, "keras": keras.__version__,
           "namespaces": {**walk(tf, "tf", TF_SPACES), **walk(keras, "keras", KERAS_SPACES)}}
    with open(OUT, "w") as f:
        json.dump(api, f, sort_keys=True, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
