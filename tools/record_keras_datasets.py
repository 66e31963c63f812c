"""Write tiny stand-ins for Keras's imdb, reuters and CIFAR-100 files under
tests/data/keras_datasets/ (same formats: object-array ``.npz`` members, pickled batch dicts
in a tar archive) and record what Keras 3's loaders return from them in
tests/data/keras_datasets.json.

Run with a Python that has TensorFlow 2.21 / Keras 3 installed (never a tapegrad dependency):
``python tools/record_keras_datasets.py``. Keras's download step is replaced by the local file.
"""

import io
import json
import os
import pickle
import tarfile
import tempfile

import numpy as np

HERE = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "keras_datasets")
CALLS = {
    "imdb": ["{}", "{'num_words': 9}", "{'maxlen': 6, 'seed': 7}",
             "{'skip_top': 2, 'start_char': None, 'oov_char': None, 'index_from': 0}"],
    "reuters": ["{}", "{'num_words': 8, 'test_split': 0.3}", "{'maxlen': 5, 'seed': 3}"],
    "cifar100": ["{}", "{'label_mode': 'coarse'}"],
}


def _ragged(rng, n):
    out = np.empty(n, dtype=object)
    out[:] = [list(rng.integers(1, 15, size=int(rng.integers(1, 9)))) for _ in range(n)]
    out[:] = [[int(w) for w in x] for x in out]
    return out


def write_files():
    rng = np.random.default_rng(0)
    os.makedirs(HERE, exist_ok=True)
    np.savez(os.path.join(HERE, "imdb.npz"), x_train=_ragged(rng, 12),
             y_train=rng.integers(0, 2, 12), x_test=_ragged(rng, 8), y_test=rng.integers(0, 2, 8))
    np.savez(os.path.join(HERE, "reuters.npz"), x=_ragged(rng, 15), y=rng.integers(0, 46, 15))
    with tarfile.open(os.path.join(HERE, "cifar-100-python.tar.gz"), "w:gz") as tar:
        for name, n in (("train", 6), ("test", 4)):
            batch = {b"data": rng.integers(0, 256, (n, 3072)).astype(np.uint8),
                     b"fine_labels": [int(v) for v in rng.integers(0, 100, n)],
                     b"coarse_labels": [int(v) for v in rng.integers(0, 20, n)],
                     b"filenames": [b"img%d.png" % i for i in range(n)]}
            raw = pickle.dumps(batch, protocol=4)
            info = tarfile.TarInfo(f"cifar-100-python/{name}")
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))


def _plain(v):
    """Sequences as lists; images as their shape, sum and a corner of each (small JSON)."""
    if isinstance(v, np.ndarray) and v.dtype == object:
        return [list(map(int, x)) for x in v]
    if np.ndim(v) == 4:
        return {"shape": list(v.shape), "dtype": str(v.dtype), "sum": int(v.sum()),
                "corner": v[:, :2, :3, :].tolist()}
    return np.asarray(v).tolist()


def main():
    write_files()
    from keras.src.datasets import cifar100, imdb, reuters
    extracted = tempfile.mkdtemp()
    with tarfile.open(os.path.join(HERE, "cifar-100-python.tar.gz")) as tar:
        tar.extractall(extracted)
    imdb.get_file = lambda *a, **k: os.path.join(HERE, "imdb.npz")
    reuters.get_file = lambda *a, **k: os.path.join(HERE, "reuters.npz")
    cifar100.get_file = lambda *a, **k: extracted
    out = {}
    for name, calls in CALLS.items():
        module = {"imdb": imdb, "reuters": reuters, "cifar100": cifar100}[name]
        for call in calls:
            (xa, ya), (xb, yb) = module.load_data(**eval(call))  # noqa: S307 - fixed texts
            out[f"{name} {call}"] = {"x_train": _plain(xa), "y_train": _plain(ya),
                                     "x_test": _plain(xb), "y_test": _plain(yb),
                                     "dtypes": [str(np.asarray(v).dtype) for v in (ya, yb)]}
    with open(os.path.join(HERE, "..", "keras_datasets.json"), "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
