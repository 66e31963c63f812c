"""The guarantees of docs/reliability.md, each proved here: atomic Variable writes under
threads, tape misuse named, TF's refusals, and the edge cases that used to fail."""

import gc
import io
import os
import signal
import subprocess
import sys
import threading
import warnings
import weakref
import zipfile

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError


# -- threads ------------------------------------------------------------------------------------
def test_assign_add_from_eight_threads_loses_no_update():
    v = tf.Variable(0.0)
    m = tf.Variable(np.zeros((4, 4), np.float32))
    keep = m.read_value()  # a live reader: writes must copy, and still not race

    def work():
        for _ in range(3000):
            v.assign_add(1.0)
            m.assign_sub(np.ones((4, 4), np.float32))
            m.scatter_nd_add([[0, 0]], [2.0])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert float(v) == 8 * 3000
    expected = np.full((4, 4), -8 * 3000.0)
    expected[0, 0] += 2 * 8 * 3000
    np.testing.assert_array_equal(m.numpy(), expected)
    np.testing.assert_array_equal(keep.numpy(), 0.0)  # the old snapshot never changed


def test_variables_built_in_threads_keep_their_own_names():
    names = {}

    def build(i):
        with tf.name_scope(f"worker{i}"):
            for _ in range(50):
                names.setdefault(i, set()).add(tf.Variable(1.0, name="w").name.split("/")[0])

    threads = [threading.Thread(target=build, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(names[i] == {f"worker{i}"} for i in range(8))


# -- tape misuse names the argument ---------------------------------------------------------------
def _tape_of(x):
    with tf.GradientTape(persistent=True) as tape:
        y = x * 2.0
    return tape, y


def test_output_gradients_of_the_wrong_kind_are_named():
    x = tf.Variable([1.0, 2.0])
    tape, y = _tape_of(x)
    with pytest.raises(TypeError, match=r"output_gradients\[0\]"):
        tape.gradient(y, x, output_gradients="abc")
    with pytest.raises(InvalidArgumentError, match=r"output_gradients\[0\] has dtype int32"):
        tape.gradient(y, x, output_gradients=tf.constant([1, 2]))
    with pytest.raises(ValueError, match="output_gradients has shape"):
        tape.gradient(y, x, output_gradients=tf.ones(3))
    got = tape.gradient(y, x, output_gradients=np.array([1, 3]))
    np.testing.assert_array_equal(got.numpy(), [2, 6])


def test_forward_accumulator_tangent_dtype_is_named():
    x = tf.constant([1.0, 2.0])
    with pytest.raises(ValueError, match="tangent of a float32 primal has dtype int32"):
        tf.autodiff.ForwardAccumulator(x, tf.constant([1, 2]))
    with tf.autodiff.ForwardAccumulator(x, np.array([1, 1])) as acc:  # ints take x's dtype
        y = x * x
    np.testing.assert_array_equal(acc.jvp(y).numpy(), [2.0, 4.0])


def test_batch_jacobian_of_a_non_tensor_is_named():
    x = tf.Variable([[1.0, 2.0]])
    tape, _ = _tape_of(x)
    with pytest.raises(TypeError, match="batch_jacobian: target must be a single Tensor"):
        tape.batch_jacobian([1.0], x)


# -- edge cases that used to fail ----------------------------------------------------------------
def test_reduce_prod_of_an_empty_tensor_has_an_empty_gradient():
    e = tf.Variable(tf.zeros((0, 3)))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.reduce_prod(e, axis=0))  # products of nothing: ones
    assert float(y) == 3.0
    g = tape.gradient(y, e)
    assert g.shape == (0, 3)


def test_batch_normalization_python_numbers_take_the_input_dtype():
    x = tf.constant([1.0, 3.0], tf.float64)
    out = tf.nn.batch_normalization(x, 2.0, 1.0, 0.5, 2.0, 0.0)
    assert out.dtype == tf.float64
    np.testing.assert_allclose(out.numpy(), [-1.5, 2.5])


def test_set_seed_none_clears_the_global_seed():
    tf.random.set_seed(5)
    a = tf.random.uniform([4]).numpy()
    tf.random.set_seed(5)
    np.testing.assert_array_equal(tf.random.uniform([4]).numpy(), a)
    tf.random.set_seed(None)
    b, c = tf.random.uniform([4]).numpy(), tf.random.uniform([4]).numpy()
    assert not np.array_equal(b, c)
    with pytest.raises(TypeError, match="set_seed: seed must be an integer"):
        tf.random.set_seed("five")


# -- refusals TF makes (checked against TF 2.21 by tests/test_dtype_table.py too) ---------------
@pytest.mark.parametrize("call, error, words", [
    (lambda: tf.math.floordiv(tf.constant([3]), tf.constant([0])), InvalidArgumentError,
     "floordiv: Integer division by zero"),
    (lambda: tf.constant([3]) % 0, InvalidArgumentError, "floormod: Integer division by zero"),
    (lambda: tf.reduce_sum(tf.constant([True, False])), InvalidArgumentError,
     "reduce_sum: no kernel"),
    (lambda: tf.reduce_mean(tf.constant([True])), InvalidArgumentError, "reduce_mean: no kernel"),
    (lambda: tf.cast(tf.constant([1.0]), None), TypeError, "cast: cannot convert None"),
    (lambda: tf.one_hot([0], -1), InvalidArgumentError, "depth must be non-negative"),
    (lambda: tf.where(tf.constant([1.0, 0.0]), 1.0, 2.0), InvalidArgumentError,
     "condition must be a bool"),
    (lambda: tf.expand_dims(tf.constant([1.0]), 0.5), TypeError, "axis must be an integer"),
    (lambda: tf.nn.relu(tf.constant([1 + 1j])), InvalidArgumentError, "relu: no kernel"),
    (lambda: tf.nn.softplus(tf.constant([1 + 1j])), InvalidArgumentError, "softplus"),
])
def test_tf_refusals(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_complex_sigmoid_is_the_formula():
    z = np.array([1 + 1j, -2 + 0.5j])
    np.testing.assert_allclose(tf.sigmoid(tf.constant(z)).numpy(), 1 / (1 + np.exp(-z)))
    assert float(tf.math.floordiv(tf.constant(3.0), tf.constant(0.0))) == np.inf  # floats: IEEE


# -- tapegrad.function holds no Variable alive, and replays Python values as traced ------------
def test_function_called_with_fresh_variables_keeps_none_alive():
    @tf.function
    def double(v):
        return v * 2.0

    refs = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # retracing on every new Variable warns, as TF does
        for _ in range(40):
            v = tf.Variable(np.ones(1000, np.float32))
            refs.append(weakref.ref(v))
            assert float(tf.reduce_sum(double(v))) == 2000.0
            del v
    gc.collect()
    assert sum(r() is not None for r in refs) == 0
    assert len(double._cache) == 0  # each trace went with its variable


def test_function_replays_casts_of_python_values():
    @tf.function
    def f(x):
        return x * tf.cast(2, x.dtype) + tf.cast([1.0, 2.0], tf.float32)

    for _ in range(5):  # trace, checked replays, then trusted replays
        np.testing.assert_array_equal(f(tf.constant([1.0, 2.0])).numpy(), [3.0, 6.0])


# -- weights files as an attack surface ---------------------------------------------------------
def _saved(tmp_path):
    model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
    path = str(tmp_path / "w.npz")
    model.save_weights(path)
    return model, path


def test_a_header_claiming_terabytes_is_refused_before_allocating(tmp_path):
    model, path = _saved(tmp_path)
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f4", "fortran_order": False,
                                                  "shape": (10 ** 14,)})
    first = next(iter(members))
    members[first] = header.getvalue() + bytes(64)
    bad = str(tmp_path / "bad.npz")
    with zipfile.ZipFile(bad, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    with pytest.raises(ValueError, match=r"declares shape \[100000000000000\]"):
        model.load_weights(bad)
    model.load_weights(path)  # the real file still loads


def test_a_npy_renamed_npz_is_a_clear_error(tmp_path):
    model, _ = _saved(tmp_path)
    npy = tmp_path / "a.npy"
    np.save(npy, np.ones(3))
    fake = tmp_path / "a.npz"
    npy.rename(fake)
    with pytest.raises(ValueError, match="not an .npz archive"):
        model.load_weights(str(fake))


def test_saved_files_honour_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        _, path = _saved(tmp_path)
    finally:
        os.umask(old)
    assert os.stat(path).st_mode & 0o777 == 0o640


def test_a_killed_writers_temporary_file_is_cleaned_by_the_next_save(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a pid that no longer runs, as after SIGKILL
    stale = tmp_path / f".w.npz.{dead.pid}.abc123.tmp"
    stale.write_bytes(b"half a file")
    mine = tmp_path / f".w.npz.{os.getpid()}.zzz.tmp"  # a live writer's: left alone
    mine.write_bytes(b"in progress")
    _saved(tmp_path)
    assert not stale.exists() and mine.exists()


# -- Keras entry points refuse degenerate input ----------------------------------------------------
def test_fit_refuses_a_bad_batch_size_and_empty_data():
    model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
    model.compile("sgd", "mse")
    x, y = np.ones((4, 3), np.float32), np.zeros((4, 2), np.float32)
    for bad in (-1, 0, 2.5):
        with pytest.raises(ValueError, match="batch_size must be a positive integer"):
            model.fit(x, y, batch_size=bad, verbose=0)
    with pytest.raises(ValueError, match="non-empty"):
        model.fit(x[:0], y[:0], verbose=0)
    with pytest.raises(ValueError, match="non-empty"):
        model.predict(x[:0], verbose=0)
    assert len(model.fit(x, y, batch_size=np.int64(2), verbose=0).history["loss"]) == 1


# -- interrupts -------------------------------------------------------------------------------
def _interrupting(cls, at_call: int):
    """An optimizer class whose ``update_step`` sends this process SIGINT (Ctrl-C) at its
    ``at_call``-th call, between the updates of two variables."""
    calls = []

    class Interrupted(cls):
        def update_step(self, gradient, variable, learning_rate):
            super().update_step(gradient, variable, learning_rate)
            calls.append(variable.name)
            if len(calls) == at_call:
                os.kill(os.getpid(), signal.SIGINT)

    return Interrupted


def test_ctrl_c_inside_apply_gradients_updates_every_variable_or_none():
    a, b = tf.Variable([1.0, 2.0]), tf.Variable(3.0)
    opt = _interrupting(tf.keras.optimizers.SGD, at_call=1)(learning_rate=0.5)
    with pytest.raises(KeyboardInterrupt):
        opt.apply_gradients([(tf.constant([1.0, 1.0]), a), (tf.constant(2.0), b)])
    np.testing.assert_allclose(a.numpy(), [0.5, 1.5])  # both updated: the step finished
    np.testing.assert_allclose(b.numpy(), 2.0)
    assert int(opt.iterations) == 1
    opt.apply_gradients([(tf.constant([1.0, 1.0]), a), (tf.constant(2.0), b)])
    with pytest.raises(KeyboardInterrupt):  # outside a step, Ctrl-C interrupts at once
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(10**8):
            pass


def _model(optimizer):
    tf.keras.utils.set_random_seed(3)
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(4, "tanh"),
                                 tf.keras.layers.Dense(1)])
    model.compile(optimizer=optimizer, loss="mse")
    return model


def test_ctrl_c_inside_fit_leaves_a_whole_number_of_steps():
    x = np.linspace(-1, 1, 24, dtype=np.float32).reshape(8, 3)
    y = x.sum(axis=1, keepdims=True)
    reference = _model(tf.keras.optimizers.Adam(0.1))
    after_step = []
    keep = tf.keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: after_step.append(reference.get_weights()))
    reference.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0, callbacks=[keep])

    # step 3 of 4 is interrupted after its 2nd of 4 variable updates
    model = _model(_interrupting(tf.keras.optimizers.Adam, at_call=10)(0.1))
    with pytest.raises(KeyboardInterrupt):
        model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    steps = int(model.optimizer.iterations)
    assert steps == 3
    for got, want in zip(model.get_weights(), after_step[steps - 1]):
        np.testing.assert_allclose(got, want, rtol=1e-6)
