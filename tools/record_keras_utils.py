"""Record keras.utils outputs for tests/data/keras_utils.json.

Run with a Python that has TensorFlow 2.21 and Keras 3 installed (never a tapegrad
dependency): ``python tools/record_keras_utils.py``.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

SEQS = [[1, 2, 3, 4], [5], [], [6, 7]]
PAD_CASES = [dict(), dict(maxlen=3), dict(maxlen=3, padding="post"),
             dict(maxlen=3, truncating="post"), dict(maxlen=5, value=-1, padding="post")]
NORM_X = [[3.0, -4.0, 0.0], [1.0, 2.0, 2.0]]
NORM_CASES = [dict(), dict(order=1), dict(axis=1)]


def main() -> None:
    out = {
        "to_categorical": {
            "labels": [[0], [2], [1], [2]],
            "result": keras.utils.to_categorical([[0], [2], [1], [2]]).tolist(),
            "with_classes": keras.utils.to_categorical([1, 0], num_classes=4).tolist(),
        },
        "pad_sequences": {"sequences": SEQS, "cases": [
            {"kwargs": kw, "result": keras.utils.pad_sequences(SEQS, **kw).tolist()}
            for kw in PAD_CASES]},
        "normalize": {"x": NORM_X, "cases": [
            {"kwargs": kw, "result": np.asarray(keras.utils.normalize(np.array(NORM_X), **kw))
             .tolist()} for kw in NORM_CASES]},
    }
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "keras_utils.json")
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
