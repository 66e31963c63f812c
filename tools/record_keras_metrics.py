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
    out = {"y_true": Y_TRUE, "y_pred": Y_PRED, "sample_weight": WEIGHTS, "cases": cases}
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "keras_metrics.json")
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
