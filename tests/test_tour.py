"""The tour example runs every program of the seed notebook and prints the notebook's values."""

import os
import re
import subprocess
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def tour() -> str:
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    res = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "gradient_tape_tour.py")],
                         capture_output=True, text=True, env=env, timeout=60)
    assert res.returncode == 0, res.stderr
    return res.stdout


def _section(text: str, label: str) -> str:
    start = text.index(label + ":\n") + len(label) + 2
    end = text.find("\n\n", start)
    return text[start:end]


def test_square_and_its_derivative(tour):
    assert _section(tour, "y") == "<tapegrad.Tensor: shape=(), dtype=float32, numpy=16.0>"
    assert _section(tour, "dy_dx") == "<tapegrad.Tensor: shape=(), dtype=float32, numpy=8.0>"


def _numbers(text: str) -> np.ndarray:
    return np.array([float(v) for v in re.findall(r"-?\d+\.\d*(?:e[-+]?\d+)?", text)])


def test_matmul_loss_gradients_match_the_notebook(tour):
    # The notebook's (TensorFlow's) printed gradients; the last float32 digit may differ across
    # CPUs (BLAS kernel, FMA), so compare to a few ulps.
    dl_dw = _section(tour, "dl_dw")
    assert dl_dw.startswith("<tapegrad.Tensor: shape=(4, 2), dtype=float32, numpy=\narray([[")
    rows = _numbers(dl_dw.split("numpy=")[1]).reshape(4, 2)
    np.testing.assert_allclose(rows[[0, 3]], [[-26.203785, 648.96906], [-104.81514, 2595.8762]],
                               rtol=1e-6)
    dl_db = _section(tour, "dl_db")
    assert dl_db.startswith("<tapegrad.Tensor: shape=(2,), dtype=float32, numpy=array([")
    db = _numbers(dl_db.split("numpy=")[1])
    np.testing.assert_allclose(db, [-2.6203785, 64.896904], rtol=1e-6)
    np.testing.assert_allclose(rows, np.outer([10, 20, 30, 40], db), rtol=1e-6)  # dl_dw = x^T y


def test_variable_reprs(tour):
    assert _section(tour, "b") == ("<tapegrad.Variable 'Variable:0' shape=(2,) dtype=float32, "
                                   "numpy=array([1., 1.], dtype=float32)>")
    assert _section(tour, "x1") == ("<tapegrad.Variable 'Variable:0' shape=() dtype=float32, "
                                    "numpy=5.0>")
    assert _section(tour, "x3") == "<tapegrad.Tensor: shape=(), dtype=float32, numpy=10.0>"


def test_dense_layer_gradients(tour):
    assert "dense/kernel:0, shape: (3, 2)\ndense/bias:0, shape: (2,)" in tour
    # kernel gradient = x^T (2 y relu'): rows proportional to x = [10, 20, 30], bias = row / 10
    grad = _section(tour, "grad")
    rows = np.array([[float(v) for v in re.findall(r"-?\d+\.\d*", line)[:2]]
                     for line in grad.splitlines()[1:4]])
    np.testing.assert_allclose(rows[1], 2 * rows[0], rtol=1e-6)
    np.testing.assert_allclose(rows[2], 3 * rows[0], rtol=1e-6)


def test_only_trainable_variables_get_gradients(tour):
    assert ("[<tapegrad.Tensor: shape=(), dtype=float32, numpy=10.0>, None, None, None]"
            in tour)


def test_watched_constants(tour):
    ten = "<tapegrad.Tensor: shape=(), dtype=float32, numpy=10.0>"
    six = "<tapegrad.Tensor: shape=(), dtype=float32, numpy=6.0>"
    assert _section(tour, "dy_dx1, dy_dx2") == f"({ten}, {six})"
    assert _section(tour, "dy_dx1, dy_dx2 (watch_accessed_variables=False)") == f"({ten}, None)"


def test_conditionals(tour):
    ten = "<tapegrad.Tensor: shape=(), dtype=float32, numpy=10.0>"
    six = "<tapegrad.Tensor: shape=(), dtype=float32, numpy=6.0>"
    assert _section(tour, "dx1, dx2 (x = 1.0)") == f"({ten}, None)"
    assert _section(tour, "dx1, dx2 (x = -1.0)") == f"(None, {six})"


def test_gradient_inside_the_context_is_none(tour):
    assert tour.rstrip().splitlines()[-1] == "None"
