"""Record Keras 3 loss values for tests/data/keras_losses.json: each loss function's
per-example values, and each class with sample weights and every reduction.

Run with a Python that has TensorFlow 2.21 and Keras 3 installed (never a tapegrad
dependency): ``python tools/record_keras_losses.py``. Under "extra", the losses with their
own kinds of input (CTC: integer labels and logits; Circle: class labels and embeddings; the
generalized cross-entropy: integer labels and probabilities) keep their per-example values,
each reduction with sample weights, and the gradient of the summed values w.r.t. ``y_pred``.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

Y_TRUE = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.2, 0.3, 0.5]]
Y_PRED = [[0.1, 0.7, 0.2], [0.5, 0.25, 0.25], [0.3, 0.3, 0.4]]
SIGNED = [[1.5, -0.5, 0.25], [-2.0, 0.5, 1.0], [0.3, -0.3, 0.9]]
WEIGHTS = [1.0, 0.5, 2.0]
FUNCS = {
    "mean_absolute_percentage_error": ("MeanAbsolutePercentageError", Y_PRED),
    "mean_squared_logarithmic_error": ("MeanSquaredLogarithmicError", Y_PRED),
    "kl_divergence": ("KLDivergence", Y_PRED),
    "poisson": ("Poisson", Y_PRED),
    "log_cosh": ("LogCosh", SIGNED),
    "hinge": ("Hinge", SIGNED),
    "squared_hinge": ("SquaredHinge", SIGNED),
    "categorical_hinge": ("CategoricalHinge", SIGNED),
    "cosine_similarity": ("CosineSimilarity", SIGNED),
    "binary_focal_crossentropy": ("BinaryFocalCrossentropy", Y_PRED),
    "categorical_focal_crossentropy": ("CategoricalFocalCrossentropy", Y_PRED),
    "dice": ("Dice", Y_PRED),
    "tversky": ("Tversky", Y_PRED),
}
# arguments beside the defaults, given to the function and the class alike
KWARGS = {
    "binary_focal_crossentropy": dict(apply_class_balancing=True, alpha=0.3, gamma=1.5,
                                      label_smoothing=0.1),
    "categorical_focal_crossentropy": dict(alpha=0.4, gamma=2.5, label_smoothing=0.05),
    "dice": dict(axis=-1),
    "tversky": dict(alpha=0.3, beta=0.7, axis=-1),
}


_RNG = np.random.default_rng(7)
_EMB = _RNG.normal(size=(6, 4)).astype(np.float32)
EXTRA = {
    "ctc": ("CTC", [[1, 2, 2, 0], [3, 0, 0, 0], [2, 1, 3, 1], [0, 0, 0, 0]],
            _RNG.normal(size=(4, 7, 4)).astype(np.float32).tolist(), {}),
    "circle": ("Circle", [0, 1, 0, 2, 1, 0],
               (_EMB / np.linalg.norm(_EMB, axis=1, keepdims=True)).tolist(),
               dict(gamma=4.0, margin=0.25)),
    "categorical_generalized_cross_entropy": (
        "CategoricalGeneralizedCrossEntropy", [2, 0, 1],
        [[0.1, 0.2, 0.7], [0.5, 0.25, 0.25], [0.3, 0.6, 0.1]], dict(q=0.7)),
}
EXTRA_WEIGHTS = {"ctc": [1.0, 0.5, 2.0, 1.0], "circle": [1.0, 0.5, 2.0, 1.0, 1.0, 0.25],
                 "categorical_generalized_cross_entropy": [1.0, 0.5, 2.0]}


def _extra() -> dict:
    import tensorflow as tf  # the gradient w.r.t. y_pred

    out = {}
    for fn, (cls, y_true, y_pred, kwargs) in EXTRA.items():
        pred = tf.constant(np.array(y_pred, np.float32))
        with tf.GradientTape() as tape:
            tape.watch(pred)
            values = getattr(keras.losses, fn)(np.array(y_true), pred, **kwargs)
            total = tf.reduce_sum(values)
        case = {"class": cls, "y_true": y_true, "y_pred": y_pred, "kwargs": kwargs,
                "values": np.asarray(values).tolist(),
                "grad": np.asarray(tape.gradient(total, pred)).tolist(),
                "sample_weight": EXTRA_WEIGHTS[fn]}
        for reduction in ("sum_over_batch_size", "sum", "none"):
            loss = getattr(keras.losses, cls)(reduction=reduction, **kwargs)
            case[reduction] = np.asarray(loss(np.array(y_true), pred, sample_weight=np.array(
                EXTRA_WEIGHTS[fn], np.float32))).tolist()
        out[fn] = case
    return out


def main() -> None:
    out = {"y_true": Y_TRUE, "sample_weight": WEIGHTS, "cases": {}}
    y_true = np.array(Y_TRUE, np.float32)
    for fn, (cls, pred) in FUNCS.items():
        y_pred = np.array(pred, np.float32)
        kwargs = KWARGS.get(fn, {})
        case = {"class": cls, "y_pred": pred, "kwargs": kwargs,
                "values": np.asarray(getattr(keras.losses, fn)(y_true, y_pred, **kwargs)
                                     ).tolist()}
        for reduction in ("sum_over_batch_size", "sum", "none"):
            loss = getattr(keras.losses, cls)(reduction=reduction, **kwargs)
            case[reduction] = np.asarray(loss(y_true, y_pred, sample_weight=np.array(WEIGHTS))
                                         ).tolist()
        out["cases"][fn] = case
    out["extra"] = _extra()
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "keras_losses.json")
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
