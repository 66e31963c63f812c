"""Record Keras 3 metric results for tests/data/keras_metrics.json.

Run with a Python that has TensorFlow 2.21 and Keras 3 installed (never a tapegrad
dependency): ``python tools/record_keras_metrics.py``.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

Y_TRUE = [[0, 1], [1, 1], [0, 0], [1, 0], [1, 1]]
Y_PRED = [[0.2, 0.8], [0.6, 0.4], [0.7, 0.1], [0.3, 0.95], [0.5, 0.55]]
WEIGHTS = [1.0, 2.0, 0.5, 1.5, 3.0]
NAMES = ["TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives", "Precision",
         "Recall"]
THRESHOLDS = [None, 0.3, [0.1, 0.5, 0.9]]
REGRESSION = ["MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError",
              "MeanSquaredLogarithmicError", "RootMeanSquaredError"]


# three classes, for the top-k accuracies (one-hot labels, and the same as integers)
CLASS_TRUE = [[0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 0]]
CLASS_PRED = [[0.1, 0.5, 0.4], [0.2, 0.3, 0.5], [0.6, 0.3, 0.1], [0.3, 0.3, 0.4],
              [0.5, 0.25, 0.25]]
LABELS_TRUE = [0, 1, 2, 2, 1]
LABELS_PRED = [0, 2, 2, 1, 1]
# (metric, constructor arguments, inputs): "binary" are Y_TRUE/Y_PRED, "regression" the same
# shifted by 0.5, "onehot"/"sparse" the three-class inputs
FAMILIES = [
    ("BinaryCrossentropy", {}, "binary"), ("BinaryCrossentropy",
                                           {"label_smoothing": 0.1}, "binary"),
    ("CategoricalCrossentropy", {}, "onehot"), ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("KLDivergence", {}, "binary"), ("Poisson", {}, "binary"), ("LogCoshError", {}, "binary"),
    ("CosineSimilarity", {}, "regression"), ("Hinge", {}, "binary"),
    ("SquaredHinge", {}, "binary"), ("CategoricalHinge", {}, "onehot"), ("Sum", {}, "values"),
    ("TopKCategoricalAccuracy", {"k": 2}, "onehot"),
    ("SparseTopKCategoricalAccuracy", {"k": 1}, "sparse"),
    ("F1Score", {}, "binary"), ("F1Score", {"average": "macro", "threshold": 0.5}, "binary"),
    ("F1Score", {"average": "micro", "threshold": 0.5}, "binary"),
    ("FBetaScore", {"average": "weighted", "beta": 2.0, "threshold": 0.5}, "binary"),
    ("R2Score", {}, "regression"), ("R2Score", {"class_aggregation": None}, "regression"),
    ("R2Score", {"class_aggregation": "variance_weighted_average", "num_regressors": 1},
     "regression"),
    ("AUC", {}, "binary"), ("AUC", {"num_thresholds": 7, "curve": "PR"}, "binary"),
    ("AUC", {"num_thresholds": 9, "summation_method": "minoring"}, "binary"),
    ("AUC", {"curve": "PR", "summation_method": "majoring", "thresholds": [0.25, 0.5, 0.75]},
     "binary"),
    ("AUC", {"multi_label": True, "num_labels": 2, "label_weights": [0.3, 0.7]}, "binary"),
    ("AUC", {"multi_label": True, "curve": "PR"}, "binary"),
    ("AUC", {"from_logits": True, "curve": "PRGAIN"}, "regression"),
    # a rate at the best threshold holding another to a floor
    ("PrecisionAtRecall", {"recall": 0.5}, "binary"),
    ("PrecisionAtRecall", {"recall": 0.8, "num_thresholds": 7}, "binary"),
    ("PrecisionAtRecall", {"recall": 0.5, "num_thresholds": 1}, "binary"),
    ("PrecisionAtRecall", {"recall": 0.6, "class_id": 1}, "binary"),
    ("RecallAtPrecision", {"precision": 0.6}, "binary"),
    ("RecallAtPrecision", {"precision": 0.9, "num_thresholds": 11, "class_id": 0}, "binary"),
    ("RecallAtPrecision", {"precision": 1.0}, "binary"),
    ("SensitivityAtSpecificity", {"specificity": 0.5}, "binary"),
    ("SensitivityAtSpecificity", {"specificity": 0.9, "num_thresholds": 5}, "binary"),
    ("SpecificityAtSensitivity", {"sensitivity": 0.5}, "binary"),
    ("SpecificityAtSensitivity", {"sensitivity": 0.8, "class_id": 1}, "binary"),
    # intersection over union: class indices, probabilities, one-hot
    ("IoU", {"num_classes": 3, "target_class_ids": [0, 2]}, "labels"),
    ("IoU", {"num_classes": 3, "target_class_ids": [1], "ignore_class": 0}, "labels"),
    ("IoU", {"num_classes": 3, "target_class_ids": [0, 1], "dtype": "float32"}, "labels"),
    ("MeanIoU", {"num_classes": 3}, "labels"),
    ("MeanIoU", {"num_classes": 3, "sparse_y_pred": False}, "sparse"),
    ("BinaryIoU", {}, "column"),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}, "column"),
    ("OneHotIoU", {"num_classes": 3, "target_class_ids": [0, 2]}, "onehot"),
    ("OneHotMeanIoU", {"num_classes": 3}, "onehot"),
    # correlations along the last axis, averaged over the examples
    ("ConcordanceCorrelation", {}, "regression"),
    ("PearsonCorrelation", {}, "classes"), ("ConcordanceCorrelation", {}, "classes"),
]
# the per-example metric functions (keras.metrics.binary_accuracy ...)
FUNCTIONS = [("binary_accuracy", {}, "binary"), ("binary_accuracy", {"threshold": 0.7}, "binary"),
             ("categorical_accuracy", {}, "onehot"), ("sparse_categorical_accuracy", {}, "sparse"),
             ("pearson_correlation", {}, "classes"), ("concordance_correlation", {}, "classes"),
             ("huber", {}, "regression"), ("binary_focal_crossentropy", {}, "binary")]


def inputs(kind: str) -> tuple:
    t, p = np.array(Y_TRUE, np.float32), np.array(Y_PRED, np.float32)
    if kind == "regression":
        return t + 0.5, p
    if kind == "onehot":
        return np.array(CLASS_TRUE, np.float32), np.array(CLASS_PRED, np.float32)
    if kind == "sparse":
        return np.argmax(CLASS_TRUE, -1), np.array(CLASS_PRED, np.float32)
    if kind == "values":
        return (p[:, 0],)
    if kind == "column":  # one label per example
        return t[:, 1], p[:, 1]
    if kind == "labels":  # class indices, some out of range of the predictions' classes
        return np.array(LABELS_TRUE), np.array(LABELS_PRED)
    if kind == "classes":  # scores against scores (the correlations)
        return np.array(CLASS_PRED, np.float32)[:, ::-1] + 0.1 * np.array(CLASS_TRUE,
                                                                         np.float32), \
            np.array(CLASS_PRED, np.float32)
    return t, p


def _families() -> list:
    w = np.array(WEIGHTS, np.float32)
    out = []
    for name, kwargs, kind in FAMILIES:
        for sw in (None, w):
            m = getattr(keras.metrics, name)(**kwargs)
            args = inputs(kind)
            m.update_state(*args, sample_weight=sw)
            m.update_state(*[a[:2] for a in args])
            out.append({"name": name, "kwargs": kwargs, "inputs": kind,
                        "weighted": sw is not None,
                        "result": np.asarray(m.result()).tolist()})
    return out


def _functions() -> list:
    out = []
    for name, kwargs, kind in FUNCTIONS:
        value = getattr(keras.metrics, name)(*inputs(kind), **kwargs)
        out.append({"name": name, "kwargs": kwargs, "inputs": kind,
                    "result": np.asarray(value).tolist()})
    return out


def main() -> None:
    t, p, w = (np.array(Y_TRUE, np.float32), np.array(Y_PRED, np.float32),
               np.array(WEIGHTS, np.float32))
    cases = []
    for name in NAMES:
        for th in THRESHOLDS:
            for sw in (None, w):
                m = getattr(keras.metrics, name)(thresholds=th)
                m.update_state(t, p, sample_weight=sw)
                m.update_state(t[:2], p[:2])
                cases.append({"name": name, "thresholds": th, "weighted": sw is not None,
                              "result": np.asarray(m.result()).tolist()})
    for name in REGRESSION:
        for sw in (None, w):
            m = getattr(keras.metrics, name)()
            m.update_state(t + 0.5, p, sample_weight=sw)
            cases.append({"name": name, "thresholds": None, "weighted": sw is not None,
                          "regression": True, "result": float(m.result())})
    out = {"y_true": Y_TRUE, "y_pred": Y_PRED, "sample_weight": WEIGHTS, "cases": cases,
           "classes": {"y_true": CLASS_TRUE, "y_pred": CLASS_PRED}, "families": _families(),
           "labels": {"y_true": LABELS_TRUE, "y_pred": LABELS_PRED}, "functions": _functions()}
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "keras_metrics.json")
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
