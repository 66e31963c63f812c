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


SERIES = np.arange(40, dtype=np.float32).reshape(20, 2)
TS_CASES = [dict(sequence_length=4, batch_size=5),
            dict(sequence_length=3, sequence_stride=2, sampling_rate=2, batch_size=3,
                 start_index=2, end_index=17),
            dict(sequence_length=5, batch_size=None),
            dict(sequence_length=4, batch_size=64, shuffle=True, seed=7)]


def _timeseries() -> dict:
    cases = []
    for kw in TS_CASES:
        ds = keras.utils.timeseries_dataset_from_array(SERIES, np.arange(20) * 10, **kw)
        xs, ys = [], []
        for x, y in ds.as_numpy_iterator():
            xs.extend(np.asarray(x).reshape(-1, kw["sequence_length"], 2).tolist())
            ys.extend(np.asarray(y).reshape(-1).tolist())
        cases.append({"kwargs": kw, "x": xs, "y": ys})
    return {"data": SERIES.tolist(), "cases": cases}


def _split() -> dict:
    x, y = np.arange(12), np.arange(12) * 3
    cases = []
    for kw in (dict(left_size=0.75), dict(right_size=5), dict(left_size=3, right_size=4),
               dict(left_size=0.5, shuffle=True, seed=3)):
        left, right = keras.utils.split_dataset((x, y), **kw)
        cases.append({"kwargs": kw, "left": [[int(a), int(b)] for a, b in left],
                      "right": [[int(a), int(b)] for a, b in right]})
    return {"cases": cases}


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
        "timeseries": _timeseries(),
        "split_dataset": _split(),
    }
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "keras_utils.json")
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
