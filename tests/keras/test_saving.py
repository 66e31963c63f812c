"""Weights files: round trip, atomic writes, every mismatch, damaged and foreign files."""

import os
import pathlib
import sys

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.engine import atomic
from tapegrad.keras import saving


def _model(units=3, bn=True):
    layers = [tf.keras.layers.Dense(units, activation="relu")]
    if bn:
        layers.append(tf.keras.layers.BatchNormalization())
    layers.append(tf.keras.layers.Dense(2))
    model = tf.keras.Sequential(layers)
    model(tf.ones((4, 5)), training=True)
    return model


def _same(a, b):
    for x, y in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(x, y)


def test_round_trip_into_a_fresh_model(tmp_path):
    a, b = _model(), _model()
    path = str(tmp_path / "w.npz")
    a.save_weights(path)
    b.load_weights(path)  # a different instance: layer names dense_2 ... still match
    _same(a, b)
    assert len(a.variables) == 8  # moving statistics are saved too
    x = np.random.default_rng(0).normal(size=(3, 5)).astype(np.float32)
    np.testing.assert_array_equal(a.predict(x), b.predict(x))
    with np.load(path, allow_pickle=False) as f:
        assert saving.MARKER in f.files and "0/" + a.variables[0].name in f.files


def test_atomic_write_keeps_the_old_file(tmp_path, monkeypatch):
    model = _model()
    path = str(tmp_path / "w.npz")
    model.save_weights(path)
    before = pathlib.Path(path).read_bytes()
    model.layers[0].kernel.assign_add(tf.ones_like(model.layers[0].kernel))

    real_open = open

    class Failing:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, data):
            self.f.write(data[: len(data) // 2])  # half the bytes reach the disk, then a crash
            raise OSError("disk full")

    monkeypatch.setattr(atomic, "open", lambda p, mode: Failing(real_open(p, mode)),
                        raising=False)
    with pytest.raises(OSError, match="disk full"):
        model.save_weights(path)
    monkeypatch.undo()
    assert pathlib.Path(path).read_bytes() == before  # the old file is intact
    assert sorted(os.listdir(tmp_path)) == ["w.npz"]  # and no temporary file is left behind
    fresh = _model()
    fresh.load_weights(path)


def test_mismatch_messages(tmp_path):
    path = str(tmp_path / "w.npz")
    _model().save_weights(path)
    with pytest.raises(ValueError, match=r"holds 8 variables but the model has 4"):
        _model(bn=False).load_weights(path)
    with pytest.raises(ValueError, match=r"has shape \(5, 4\) but the file's '.*kernel:0' has "
                                         r"shape \(5, 3\)"):
        _model(units=4).load_weights(path)

    class Other(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.conv = tf.keras.layers.Dense(3, name="conv_head")
            self.bn = tf.keras.layers.BatchNormalization()
            self.out = tf.keras.layers.Dense(2)

        def call(self, x, training=False):
            return self.out(self.bn(self.conv(x), training=training))

    other = Other()
    other(tf.ones((2, 5)))
    with pytest.raises(ValueError, match=r"variable #0 is 'conv_head/kernel:0' in the model but "
                                         r"'dense.*/kernel:0' in"):
        other.load_weights(path)
    v64 = tf.Variable(np.zeros(3), name="v")  # float64
    saving.save_weights([tf.Variable(np.zeros(3, np.float32), name="v")], path)
    with pytest.raises(ValueError, match=r"variable 'v:0' has dtype float64 but the file's "
                                         r"'v:0' has dtype float32"):
        saving.load_weights([v64], path)


def test_nothing_is_assigned_when_a_later_variable_mismatches(tmp_path):
    path = str(tmp_path / "w.npz")
    a = tf.Variable([1.0, 2.0], name="a")
    saving.save_weights([a, tf.Variable([3.0], name="b")], path)
    a2, b2 = tf.Variable([0.0, 0.0], name="a"), tf.Variable([0.0, 0.0], name="b")
    with pytest.raises(ValueError, match="'b:0' has shape"):
        saving.load_weights([a2, b2], path)
    np.testing.assert_array_equal(a2.numpy(), [0.0, 0.0])


def test_truncated_foreign_and_pickled_files(tmp_path):
    path = str(tmp_path / "w.npz")
    model = _model()
    model.save_weights(path)
    data = pathlib.Path(path).read_bytes()
    cut = str(tmp_path / "cut.npz")
    pathlib.Path(cut).write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="not a readable weights file"):
        model.load_weights(cut)
    foreign = str(tmp_path / "foreign.npz")
    np.savez(foreign, weights=np.zeros(3))
    with pytest.raises(ValueError, match=r"not written by tapegrad's save_weights \(it holds "
                                         r"\['weights'\]"):
        model.load_weights(foreign)
    pickled = str(tmp_path / "pickled.npz")
    np.savez(pickled, **{saving.MARKER: np.zeros(1, np.uint8),
                         "0/x:0": np.array([{"evil": 1}], dtype=object)})
    with pytest.raises(ValueError, match="not a readable weights file"):
        saving.load_weights([tf.Variable([0.0], name="x")], pickled)
    single = str(tmp_path / "single.npz")
    with open(single, "wb") as fh:
        np.save(fh, np.zeros(3))  # one .npy array under an .npz name
    with pytest.raises(ValueError, match="a single .npy array, not an .npz archive"):
        model.load_weights(single)
    text = str(tmp_path / "text.npz")
    pathlib.Path(text).write_text("hello")
    with pytest.raises(ValueError, match="not a readable weights file"):
        model.load_weights(text)
    with pytest.raises(FileNotFoundError, match="no such file"):
        model.load_weights(str(tmp_path / "missing.npz"))
    with pytest.raises(ValueError, match=r"must end in '.weights.h5' .*'.npz' or '.safetensors'"):
        model.save_weights(str(tmp_path / "w.pkl"))
    with pytest.raises(FileExistsError):
        model.save_weights(path, overwrite=False)


def test_safetensors_round_trip(tmp_path):
    pytest.importorskip("safetensors")
    a, b = _model(), _model()
    path = str(tmp_path / "w.safetensors")
    a.save_weights(path)
    b.load_weights(path)
    _same(a, b)
    os.truncate(path, 20)
    with pytest.raises(ValueError, match="not a readable safetensors file"):
        b.load_weights(path)


def test_weights_h5_without_h5py_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "h5py", None)  # an import of h5py now fails
    model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    model(np.ones((1, 2), np.float32))
    with pytest.raises(ImportError, match=r'pip install "tapegrad\[h5\]"'):
        model.save_weights(str(tmp_path / "m.weights.h5"))
    assert list(tmp_path.iterdir()) == []
