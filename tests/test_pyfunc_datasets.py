"""tf.py_function / numpy_function / vectorized_map / ensure_shape / grad_pass_through
(tapegrad/pyfunc.py) and keras.datasets reading the local cache (tapegrad/keras/datasets/)."""

import gzip
import os

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.keras import datasets


def test_py_function_keeps_the_tape_numpy_function_leaves_it():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.py_function(lambda v: tf.reduce_sum(v ** 3), [x], tf.float32)
        z = tf.numpy_function(lambda a: np.sum(a ** 3), [x], tf.float32)
    assert tape.gradient(y, x).numpy().tolist() == [3.0, 12.0]  # as TF's py_function
    assert tape.gradient(z, x) is None  # left the tape, as TF's numpy_function
    a, b = tf.py_function(lambda v: (v, v * 2), [x], [tf.float64, tf.int32])
    assert a.dtype == tf.float64 and b.numpy().tolist() == [2, 4]
    with pytest.raises(InvalidArgumentError, match="returned 1 value"):
        tf.py_function(lambda v: v, [x], [tf.float32, tf.float32])


def test_vectorized_map_ensure_shape_grad_pass_through():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.vectorized_map(lambda r: tf.reduce_sum(r * r), x)
    assert y.numpy().tolist() == [5.0, 25.0]
    assert tape.gradient(y, x).numpy().tolist() == [[2.0, 4.0], [6.0, 8.0]]
    assert tf.ensure_shape(x, [2, None]).shape == (2, 2)
    with pytest.raises(InvalidArgumentError, match=r"not compatible with expected shape \[3"):
        tf.ensure_shape(x, [3, None])
    v = tf.Variable(0.0)
    z = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(z)
        out = tf.grad_pass_through(v.assign)(z) * 5.0
    assert float(v) == 2.0 and float(tape.gradient(out, z)) == 5.0


def _idx(path, header, data):
    with gzip.open(path, "wb") as f:
        f.write(header + data.tobytes())


def test_datasets_read_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    cache = tmp_path / "datasets"
    os.makedirs(cache / "fashion-mnist")
    x = np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28)
    np.savez(cache / "mnist.npz", x_train=x, y_train=np.array([3, 4], np.uint8), x_test=x[:1],
             y_test=np.array([5], np.uint8))
    (x_train, y_train), (x_test, y_test) = datasets.mnist.load_data()
    assert x_train.shape == (2, 28, 28) and y_test.tolist() == [5]
    for split, n in (("train", 2), ("t10k", 1)):
        _idx(cache / "fashion-mnist" / f"{split}-labels-idx1-ubyte.gz", b"\0" * 8,
             np.arange(n, dtype=np.uint8))
        _idx(cache / "fashion-mnist" / f"{split}-images-idx3-ubyte.gz", b"\0" * 16, x[:n])
    (fx, fy), (tx, ty) = datasets.fashion_mnist.load_data()
    assert np.array_equal(fx, x) and ty.tolist() == [0]
    np.savez(cache / "boston_housing.npz", x=np.arange(20.0).reshape(10, 2), y=np.arange(10.0))
    (bx, by), (cx, cy) = datasets.boston_housing.load_data(test_split=0.2, seed=113)
    order = np.arange(10)
    np.random.RandomState(113).shuffle(order)  # Keras's split
    assert by.tolist() == order[:8].tolist() and cy.tolist() == order[8:].tolist()


def test_missing_archive_says_where_to_put_it(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(FileNotFoundError, match=r"mnist\.npz is missing\. tapegrad never "
                                                r"downloads: fetch https://"):
        datasets.mnist.load_data()
    with pytest.raises(NotImplementedError, match="does not unpickle"):
        datasets.imdb.load_data()
