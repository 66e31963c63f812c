"""Record Keras 3's optimizer updates for tests/data/keras_optimizers.json.

Run with a Python that has TensorFlow 2.21 and Keras 3 installed (never a tapegrad
dependency): ``python tools/record_keras_optimizers.py``. Each optimizer takes three steps on a
float32 variable with the fixed gradients below; the file keeps the variable after each step.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

START = [0.5, -1.0, 2.0]
GRADS = [[0.1, -0.2, 0.3], [-0.5, 0.4, 1.5], [0.25, 0.0, -2.0]]
CASES = {
    "Adamax": dict(learning_rate=0.1),
    "Nadam": dict(learning_rate=0.1),
    "Adadelta": dict(learning_rate=1.0),
    "Lion": dict(learning_rate=0.1),
    "SGD": dict(learning_rate=0.1, momentum=0.9, nesterov=True),
    "Adam": dict(learning_rate=0.1, amsgrad=True),
    "RMSprop": dict(learning_rate=0.1, centered=True, momentum=0.5),
    "Adam+accumulation": dict(learning_rate=0.1, gradient_accumulation_steps=2),
    "SGD+accumulation": dict(learning_rate=0.1, momentum=0.5, gradient_accumulation_steps=2),
}


def record() -> dict:
    out = {"start": START, "grads": GRADS, "cases": {}}
    for name, kwargs in CASES.items():
        var = keras.Variable(np.array(START, np.float32))
        opt = getattr(keras.optimizers, name.split("+")[0])(**kwargs)
        steps = []
        for g in GRADS:
            opt.apply_gradients([(np.array(g, np.float32), var)])
            steps.append([float(v) for v in np.asarray(var)])
        out["cases"][name] = {"kwargs": kwargs, "after_each_step": steps}
    return out


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "tests", "data", "keras_optimizers.json")
    with open(path, "w") as f:
        json.dump(record(), f, indent=1)
        f.write("\n")
