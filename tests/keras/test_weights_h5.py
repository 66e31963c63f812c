"""Keras 3 .weights.h5 files: read files written by Keras (tools/record_keras_weights_h5.py),
write the same layout, and refuse damaged files clearly."""

import json
import pathlib

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.keras.saving_h5 import keras_layout

h5py = pytest.importorskip("h5py")

DATA = pathlib.Path(__file__).parent.parent / "data"
EXPECTED = json.loads((DATA / "keras_weights_h5.json").read_text())
X = np.array(EXPECTED["x"], np.float32)


def _seq():
    model = tf.keras.Sequential([tf.keras.layers.Dense(4, activation="relu"),
                                 tf.keras.layers.BatchNormalization(), tf.keras.layers.Dense(2)])
    model(X)
    return model


class Sub(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = [tf.keras.layers.Dense(3, activation="tanh"), tf.keras.layers.Dense(3)]
        self.out = tf.keras.layers.Dense(1)

    def call(self, x):
        for layer in self.hidden:
            x = layer(x)
        return self.out(x)


def _layout(path):
    items = []
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: items.append(
            (name, dict(obj.attrs), getattr(obj, "shape", None))))
    return sorted(items, key=lambda t: t[0])


@pytest.mark.parametrize("name,build", [("seq", _seq), ("sub", Sub)])
def test_files_written_by_keras_load_and_give_keras_outputs(name, build, tmp_path):
    model = build()
    model(X)
    model.load_weights(str(DATA / f"keras_{name}.weights.h5"))
    np.testing.assert_allclose(model(X, training=False).numpy(), EXPECTED[name], rtol=1e-5,
                               atol=1e-6)
    # and the file tapegrad writes has Keras's groups, shapes and names, in the same places
    ours = tmp_path / f"{name}.weights.h5"
    model.save_weights(str(ours))
    strip = [(n, s) for n, _, s in _layout(ours)]
    assert strip == [(n, s) for n, _, s in _layout(DATA / f"keras_{name}.weights.h5")]
    fresh = build()
    fresh(X)
    fresh.load_weights(str(ours))
    np.testing.assert_allclose(fresh(X).numpy(), EXPECTED[name], rtol=1e-5, atol=1e-6)


def test_layout_paths_of_a_subclassed_model():
    model = Sub()
    model(X)
    paths = [p for p, _, _ in keras_layout(model)]
    assert paths == ["", "hidden/dense", "hidden/dense_1", "layers/dense_2"]


def test_mismatched_or_damaged_files_are_clear_errors(tmp_path):
    model = _seq()
    wider = tf.keras.Sequential([tf.keras.layers.Dense(4), tf.keras.layers.BatchNormalization(),
                                 tf.keras.layers.Dense(3)])
    wider(X)
    before = [w.copy() for w in wider.get_weights()]
    with pytest.raises(ValueError, match=r"has shape \(4, 3\) but 'layers/dense_1/vars/0'"):
        wider.load_weights(str(DATA / "keras_seq.weights.h5"))
    for a, b in zip(wider.get_weights(), before):  # nothing was assigned
        np.testing.assert_array_equal(a, b)
    bad = tmp_path / "bad.weights.h5"
    bad.write_bytes(b"not hdf5 at all")
    with pytest.raises(ValueError, match="not a readable HDF5 file"):
        model.load_weights(str(bad))
    with pytest.raises(ValueError, match="no group 'hidden/dense/vars'"):
        sub = Sub()
        sub(X)
        sub.load_weights(str(DATA / "keras_seq.weights.h5"))
