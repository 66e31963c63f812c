"""Regenerate tf_guides_reference.npz: TensorFlow's outputs for the guide example programs.

Run with a Python that has TensorFlow (never a tapegrad dependency):

    /path/to/tf-python tests/data/make_tf_guides_reference.py

It runs ``run(tf)`` of examples/autodiff_guide.py and examples/advanced_autodiff_guide.py with
real TensorFlow and stores every array result, flattened to ``guide.key[.subkey][.index]``.
"""

import importlib.util
import os
import sys

import numpy as np
import tensorflow as tf

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load(name):
    sys.modules.setdefault("tapegrad", tf)  # the examples import tapegrad; run() takes the module
    path = os.path.join(ROOT, "examples", name + ".py")
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def flatten(prefix, value, out):
    if isinstance(value, dict):
        for k, v in value.items():
            flatten(f"{prefix}.{k}", v, out)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            flatten(f"{prefix}.{i}", v, out)
    elif value is None:
        out[prefix + ".none"] = np.zeros(0)
    elif isinstance(value, str):
        out[prefix + ".str"] = np.array(value)
    else:
        out[prefix] = np.asarray(value.numpy() if hasattr(value, "numpy") else value)


def main():
    out = {"tf_version": np.array(tf.__version__)}
    for name in ("autodiff_guide", "advanced_autodiff_guide"):
        flatten(name, load(name).run(tf, say=lambda *a: None), out)
    np.savez_compressed(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                     "tf_guides_reference.npz"), **out)
    print(f"{len(out)} arrays from TensorFlow {tf.__version__}")


if __name__ == "__main__":
    main()
