"""Record Keras 3's optimizer updates for tests/data/keras_optimizers.json.

Run with a Python that has TensorFlow 2.21 and Keras 3 installed (never a tapegrad
dependency): ``python tools/record_keras_optimizers.py``. Each optimizer takes three steps on a
float32 variable with the fixed gradients below; the file keeps the variable after each step.
It also keeps three steps on a matrix (Adafactor factors it), each schedule's values at a few
steps, and a LossScaleOptimizer's variable, scale and counters through an inf gradient.
Under "float64", every optimizer takes the same three steps on a float64 variable: Keras 3
updates it in float64 (the float32 learning rate cast to float64).
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
    "Ftrl": dict(learning_rate=0.1, l1_regularization_strength=0.01,
                 l2_regularization_strength=0.02, l2_shrinkage_regularization_strength=0.03,
                 beta=0.1),
    "Lamb": dict(learning_rate=0.1),
    "Adafactor": dict(learning_rate=0.1),
    "Adam+ema": dict(learning_rate=0.1, use_ema=True, ema_momentum=0.9,
                     ema_overwrite_frequency=2),
    "SGD+loss_scale_factor": dict(learning_rate=0.1, loss_scale_factor=4.0),
    "SGD+global_clipnorm": dict(learning_rate=0.1, global_clipnorm=0.5),
    "SGD+clipvalue": dict(learning_rate=0.1, clipvalue=0.3),
    "Adam+weight_decay": dict(learning_rate=0.1, weight_decay=0.2),
}
# Adafactor factors the second moments of a matrix: a 2x3 variable, three steps
MATRIX_START = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]
MATRIX_GRADS = [[[0.1, -0.2, 0.3], [0.4, 0.0, -0.6]], [[-0.5, 0.4, 1.5], [0.2, 0.2, 0.2]],
                [[0.25, 0.0, -2.0], [1.0, -1.0, 0.5]]]
MATRIX_CASES = {"Adafactor": dict(learning_rate=0.1), "Lamb": dict(learning_rate=0.1),
                "Ftrl": dict(learning_rate=0.1)}
SCHEDULES = {
    "ExponentialDecay": dict(initial_learning_rate=0.1, decay_steps=3, decay_rate=0.5,
                             staircase=True),
    "PiecewiseConstantDecay": dict(boundaries=[2, 5], values=[1.0, 0.5, 0.1]),
    "PolynomialDecay": dict(initial_learning_rate=1.0, decay_steps=4, end_learning_rate=0.1,
                            power=2.0, cycle=True),
    "InverseTimeDecay": dict(initial_learning_rate=1.0, decay_steps=2, decay_rate=0.5),
    "CosineDecay": dict(initial_learning_rate=0.5, decay_steps=6, alpha=0.1,
                        warmup_target=1.0, warmup_steps=3),
    "CosineDecayRestarts": dict(initial_learning_rate=1.0, first_decay_steps=3, t_mul=2.0,
                                m_mul=0.5, alpha=0.1),
}
STEPS = [0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 20]
# a float64 variable: each optimizer (and the base's weight decay and moving averages)
FLOAT64_CASES = {
    "SGD": dict(learning_rate=0.1, momentum=0.9, nesterov=True),
    "Adam": dict(learning_rate=0.1, amsgrad=True),
    "AdamW": dict(learning_rate=0.1),
    "Adamax": dict(learning_rate=0.1),
    "Adagrad": dict(learning_rate=0.1),
    "Adadelta": dict(learning_rate=1.0),
    "RMSprop": dict(learning_rate=0.1, centered=True, momentum=0.5),
    "Nadam": dict(learning_rate=0.1),
    "Ftrl": dict(learning_rate=0.1, l1_regularization_strength=0.01,
                 l2_regularization_strength=0.02, l2_shrinkage_regularization_strength=0.03,
                 beta=0.1),
    "Lion": dict(learning_rate=0.1),
    "Lamb": dict(learning_rate=0.1),
    "Adafactor": dict(learning_rate=0.1),
    "Adam+ema": dict(learning_rate=0.1, use_ema=True, ema_momentum=0.9),
    "SGD+weight_decay": dict(learning_rate=0.1, weight_decay=0.2),
}
# LossScaleOptimizer: finite, finite, inf, finite gradients (scaled by the loss scale)
LSO_GRADS = [[0.1, -0.2, 0.3], [-0.5, 0.4, 1.5], [float("inf"), 0.0, 1.0], [0.25, 0.0, -2.0]]


def record() -> dict:
    out = {"start": START, "grads": GRADS, "cases": {}}
    for name, kwargs in CASES.items():
        var = keras.Variable(np.array(START, np.float32))
        opt = getattr(keras.optimizers, name.split("+")[0])(**kwargs)
        steps = []
        for g in GRADS:
            # with loss_scale_factor the gradients come from the scaled loss
            g = np.array(g, np.float32) * np.float32(kwargs.get("loss_scale_factor", 1.0))
            opt.apply_gradients([(g, var)])
            steps.append([float(v) for v in np.asarray(var)])
        out["cases"][name] = {"kwargs": kwargs, "after_each_step": steps}
        if kwargs.get("use_ema"):
            opt.finalize_variable_values([var])
            out["cases"][name]["after_finalize"] = [float(v) for v in np.asarray(var)]
    out["matrix"] = {"start": MATRIX_START, "grads": MATRIX_GRADS, "cases": {}}
    for name, kwargs in MATRIX_CASES.items():
        var = keras.Variable(np.array(MATRIX_START, np.float32))
        opt = getattr(keras.optimizers, name)(**kwargs)
        steps = []
        for g in MATRIX_GRADS:
            opt.apply_gradients([(np.array(g, np.float32), var)])
            steps.append(np.asarray(var).tolist())
        out["matrix"]["cases"][name] = {"kwargs": kwargs, "after_each_step": steps}
    out["schedules"] = {"steps": STEPS, "cases": {
        name: {"kwargs": kwargs, "values": [
            float(getattr(keras.optimizers.schedules, name)(**kwargs)(s)) for s in STEPS]}
        for name, kwargs in SCHEDULES.items()}}
    out["loss_scale"] = _loss_scale()
    out["float64"] = {"cases": {}}
    for name, kwargs in FLOAT64_CASES.items():
        var = keras.Variable(np.array(START, np.float64), dtype="float64")
        opt = getattr(keras.optimizers, name.split("+")[0])(**kwargs)
        steps = []
        for g in GRADS:
            opt.apply_gradients([(np.array(g, np.float64), var)])
            assert var.dtype == "float64"
            steps.append([float(v) for v in np.asarray(var)])
        out["float64"]["cases"][name] = {"kwargs": kwargs, "after_each_step": steps}
    return out


def _loss_scale() -> dict:
    var = keras.Variable(np.array(START, np.float32))
    opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.Adam(learning_rate=0.1),
                                              initial_scale=4.0, dynamic_growth_steps=2)
    steps = []
    for g in LSO_GRADS:
        opt.apply_gradients([(np.array(g, np.float32) * 4.0, var)])
        steps.append({"var": [float(v) for v in np.asarray(var)],
                      "scale": float(opt.dynamic_scale.numpy()),
                      "step_counter": int(opt.step_counter.numpy()),
                      "iterations": int(opt.iterations.numpy())})
    return {"initial_scale": 4.0, "dynamic_growth_steps": 2, "grads": LSO_GRADS,
            "after_each_step": steps, "variables": [v.path for v in opt.variables]}


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "tests", "data", "keras_optimizers.json")
    with open(path, "w") as f:
        json.dump(record(), f, indent=1)
        f.write("\n")
