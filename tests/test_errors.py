"""The misuse table: each mistake raises a real exception whose message names the op (or API)
and the offending shapes or dtypes, so a user can act on it. Documented in docs/errors.md."""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np
import pytest

import tapegrad as tf


class Misuse(NamedTuple):
    name: str
    run: Callable[..., object]
    error: type
    says: tuple  # every string must appear in the message (the op, the shapes, the dtypes)


def _tape_xx(persistent=False):
    x = tf.constant([1.0, 2.0])
    tape = tf.GradientTape(persistent=persistent)
    with tape:
        tape.watch(x)
        y = x * x
    return tape, x, y


def _second_gradient():
    tape, x, y = _tape_xx()
    tape.gradient(y, x)
    tape.gradient(y, x)


def _second_jacobian():
    tape, x, y = _tape_xx()
    tape.jacobian(y, x)
    tape.jacobian(y, x)


def _watch_float():
    with tf.GradientTape() as tape:
        tape.watch(3.0)


def _output_gradients_shape():
    tape, x, y = _tape_xx()
    tape.gradient(y, x, output_gradients=tf.ones([3]))


def _output_gradients_count():
    tape, x, y = _tape_xx()
    tape.gradient([y, y], x, output_gradients=[tf.ones([2])])


def _unknown_unconnected():
    tape, x, y = _tape_xx()
    tape.gradient(y, x, unconnected_gradients="zeros")


def _reentered():
    tape = tf.GradientTape()
    with tape:
        with tape:
            pass


def _stop_recording_outside():
    with tf.GradientTape().stop_recording():
        pass


def _source_not_tensor():
    tape, x, y = _tape_xx()
    tape.gradient(y, "x")


def _target_not_tensor():
    tape, x, y = _tape_xx()
    tape.gradient("y", x)


def _jacobian_list_target():
    tape, x, y = _tape_xx()
    tape.jacobian([y], x)


def _batch_jacobian_mismatch():
    x = tf.ones([3, 2])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reshape(x, [2, 3])
    tape.batch_jacobian(y, x)


def _custom_gradient_count():
    @tf.custom_gradient
    def f(x, y):
        return x * y, lambda dy: dy  # one gradient for two inputs

    a, b = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        z = f(a, b)
    tape.gradient(z, [a, b])


def _custom_gradient_variables():
    v = tf.Variable(2.0, name="scale")

    @tf.custom_gradient
    def f(x):
        return x * v, lambda dy: dy  # grad_fn without `variables=`

    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        f(x)


def _forward_tangent_shape():
    x = tf.constant([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 2.0, 3.0])):
        pass


def _load_mismatched_weights(tmp_path):
    small = tf.keras.Sequential([tf.keras.layers.Dense(3, name="dense")])
    small(tf.ones([1, 4]))
    path = str(tmp_path / "w.npz")
    small.save_weights(path)
    big = tf.keras.Sequential([tf.keras.layers.Dense(3, name="dense")])
    big(tf.ones([1, 5]))
    big.load_weights(path)


def _set_weights_shape():
    layer = tf.keras.layers.Dense(3)
    layer.build((None, 4))
    layer.set_weights([np.ones((5, 3), np.float32), np.zeros(3, np.float32)])


def _dense_input_dim():
    layer = tf.keras.layers.Dense(3)
    layer(tf.ones([2, 4]))
    layer(tf.ones([2, 5]))


def _fit_example_counts():
    model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((4, 3), np.float32), np.ones((5, 1), np.float32), verbose=0)


def _apply_gradients_shape():
    v = tf.Variable([1.0, 2.0])
    tf.keras.optimizers.SGD(0.1).apply_gradients([(tf.ones([3]), v)])


x23 = tf.ones([2, 3])

TABLE = [
    # -- the tape ---------------------------------------------------------------------------------
    Misuse("second gradient on a non-persistent tape", _second_gradient, RuntimeError,
           ("GradientTape.gradient", "only be called once", "persistent=True")),
    Misuse("second jacobian on a non-persistent tape", _second_jacobian, RuntimeError,
           ("GradientTape.jacobian", "persistent=True")),
    Misuse("watching a Python float", _watch_float, ValueError,
           ("GradientTape.watch", "3.0", "float", "tf.constant")),
    Misuse("output_gradients of the wrong shape", _output_gradients_shape, ValueError,
           ("GradientTape.gradient", "output_gradients", "[3]", "[2]")),
    Misuse("output_gradients of the wrong count", _output_gradients_count, ValueError,
           ("GradientTape.gradient", "2 targets", "1 output_gradients")),
    Misuse("unknown unconnected_gradients", _unknown_unconnected, ValueError,
           ("unconnected_gradients", "'zeros'", "UnconnectedGradients.NONE or ZERO")),
    Misuse("re-entered tape", _reentered, ValueError, ("re-enter", "already-active tape")),
    Misuse("stop_recording outside the tape", _stop_recording_outside, ValueError,
           ("GradientTape.stop_recording", "not recording")),
    Misuse("a string as the source", _source_not_tensor, ValueError,
           ("GradientTape.gradient", "sources", "str")),
    Misuse("a string as the target", _target_not_tensor, TypeError,
           ("GradientTape.gradient", "target", "str")),
    Misuse("jacobian of a list", _jacobian_list_target, TypeError,
           ("GradientTape.jacobian", "single Tensor", "list")),
    Misuse("batch_jacobian batch mismatch", _batch_jacobian_mismatch, ValueError,
           ("batch_jacobian", "[2, 3]", "[3, 2]")),
    Misuse("custom gradient returning the wrong count", _custom_gradient_count, ValueError,
           ("custom_gradient", "returned 1 gradients", "2 tensor inputs")),
    Misuse("custom gradient reading variables without variables=", _custom_gradient_variables,
           TypeError, ("custom_gradient", "scale:0", "variables")),
    Misuse("forward-mode tangent of the wrong shape", _forward_tangent_shape, ValueError,
           ("ForwardAccumulator", "[3]", "[2]")),
    # -- ops -------------------------------------------------------------------------------------
    Misuse("matmul inner dimensions", lambda: tf.matmul(x23, tf.ones([4, 5])), ValueError,
           ("matmul", "[2, 3]", "[4, 5]")),
    Misuse("matmul of a vector", lambda: tf.matmul(tf.ones([3]), tf.ones([3, 2])), ValueError,
           ("matmul", "[3]", "[3, 2]", "matvec")),
    Misuse("matmul int32 with float32",
           lambda: tf.matmul(tf.ones([2, 2], dtype=tf.int32), tf.ones([2, 2])), TypeError,
           ("matmul", "int32[2, 2]", "float32[2, 2]", "tf.cast")),
    Misuse("float32 with float64", lambda: tf.ones([2]) + tf.ones([2], dtype=tf.float64),
           TypeError, ("add", "float32[2]", "float64[2]", "tf.cast")),
    Misuse("int32 tensor with a Python float", lambda: tf.constant([1, 2]) + 1.5, TypeError,
           ("add", "1.5", "int32")),
    Misuse("shapes that do not broadcast", lambda: tf.ones([2, 3]) + tf.ones([4]),
           tf.errors.InvalidArgumentError, ("add", "float32[2, 3]", "float32[4]")),
    Misuse("reduction axis out of range", lambda: tf.reduce_sum(x23, axis=2),
           tf.errors.InvalidArgumentError, ("reduce_sum", "axis 2", "rank 2")),
    Misuse("reduction axis not an int", lambda: tf.reduce_mean(x23, axis=1.5), TypeError,
           ("reduce_mean", "1.5", "rank 2")),
    Misuse("reshape to the wrong size", lambda: tf.reshape(x23, [4, 2]), ValueError,
           ("reshape", "[2, 3]", "[4, 2]")),
    Misuse("concat with mismatched shapes", lambda: tf.concat([x23, tf.ones([4, 5])], 0),
           ValueError, ("concat", "[2, 3]", "[4, 5]")),
    Misuse("stack of different shapes", lambda: tf.stack([tf.ones([2]), tf.ones([3])]),
           ValueError, ("stack", "[2]", "[3]")),
    Misuse("transpose with a bad perm", lambda: tf.transpose(x23, [0, 2]), ValueError,
           ("transpose", "[0, 2]", "[2, 3]")),
    Misuse("expand_dims axis out of range", lambda: tf.expand_dims(x23, 5), ValueError,
           ("expand_dims", "axis 5", "rank 3")),
    Misuse("squeeze of a non-1 dimension", lambda: tf.squeeze(x23, axis=0), ValueError,
           ("squeeze", "size 2", "[2, 3]")),
    Misuse("gather index out of range", lambda: tf.gather(x23, [5]),
           tf.errors.InvalidArgumentError, ("gather", "index 5", "[2, 3]")),
    Misuse("gather with float indices", lambda: tf.gather(tf.ones([3]), tf.constant([1.0])),
           TypeError, ("gather", "int32 or int64", "float32[1]")),
    Misuse("indexing out of range", lambda: x23[5], IndexError,
           ("getitem", "index 5", "[2, 3]")),
    Misuse("split into unequal pieces", lambda: tf.split(tf.ones([5]), 2), ValueError,
           ("split", "[5]", "2 equal pieces")),
    Misuse("tile multiples of the wrong length", lambda: tf.tile(x23, [2]), ValueError,
           ("tile", "[2]", "[2, 3]")),
    Misuse("slice outside the input", lambda: tf.slice(x23, [0, 0], [3, 1]), ValueError,
           ("slice", "[3, 1]", "[2, 3]")),
    Misuse("pad with the wrong paddings", lambda: tf.pad(x23, [[1, 1]]), ValueError,
           ("pad", "[2, 3]", "[[1, 1]]")),
    Misuse("negative dimension", lambda: tf.ones([-1, 2]), ValueError, ("ones", "[-1, 2]")),
    Misuse("cast to an unknown dtype", lambda: tf.cast(x23, "float17"), TypeError,
           ("cast", "float17", "float32[2, 3]")),
    Misuse("where with mismatched shapes",
           lambda: tf.where(tf.constant([True, False]), tf.ones([3]), tf.ones([3])),
           tf.errors.InvalidArgumentError, ("where", "bool[2]", "float32[3]")),
    Misuse("einsum size mismatch", lambda: tf.einsum("ij,jk->ik", x23, tf.ones([4, 5])),
           ValueError, ("einsum", "'j'", "[2, 3]", "[4, 5]")),
    Misuse("solve with a bad right-hand side", lambda: tf.linalg.solve(tf.eye(3), tf.ones([2, 1])),
           ValueError, ("solve", "[3, 3]", "[2, 1]")),
    Misuse("inverse of a non-square matrix", lambda: tf.linalg.inv(x23), ValueError,
           ("inv", "square", "[2, 3]")),
    Misuse("softmax of integers", lambda: tf.nn.softmax(tf.constant([1, 2])), TypeError,
           ("softmax", "int32[2]")),
    Misuse("softmax cross entropy shapes",
           lambda: tf.nn.softmax_cross_entropy_with_logits(labels=x23, logits=tf.ones([2, 4])),
           ValueError, ("softmax_cross_entropy_with_logits", "[2, 3]", "[2, 4]")),
    Misuse("sparse softmax cross entropy shapes",
           lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(
               labels=tf.constant([[1, 2]]), logits=x23),
           ValueError, ("sparse_softmax_cross_entropy_with_logits", "[1, 2]", "[2, 3]")),
    Misuse("conv2d channel mismatch",
           lambda: tf.nn.conv2d(tf.ones([1, 5, 5, 3]), tf.ones([3, 3, 4, 8]), 1, "SAME"),
           ValueError, ("conv2d", "[1, 5, 5, 3]", "[3, 3, 4, 8]")),
    Misuse("max_pool2d of a matrix", lambda: tf.nn.max_pool2d(tf.ones([5, 5]), 2, 2, "VALID"),
           ValueError, ("max_pool2d", "4-D", "[5, 5]")),
    Misuse("one_hot with float indices", lambda: tf.one_hot(tf.constant([1.0]), 3), TypeError,
           ("one_hot", "float32[1]")),
    # -- variables ------------------------------------------------------------------------------
    Misuse("assign of the wrong shape", lambda: tf.Variable([1.0, 2.0]).assign([1.0, 2.0, 3.0]),
           ValueError, ("assign", "(3,)", "(2,)")),
    Misuse("assign_add that does not broadcast",
           lambda: tf.Variable(tf.ones([2, 2])).assign_add(tf.ones([3])), ValueError,
           ("assign_add", "(3,)", "(2, 2)")),
    Misuse("assign of the wrong dtype",
           lambda: tf.Variable([1.0, 2.0]).assign(tf.constant([1, 2])), TypeError,
           ("assign", "int32", "float32")),
    # -- keras ------------------------------------------------------------------------------------
    Misuse("loading mismatched weights", _load_mismatched_weights, ValueError,
           ("load_weights", "dense/kernel", "(5, 3)", "(4, 3)")),
    Misuse("set_weights of the wrong shape", _set_weights_shape, ValueError,
           ("set_weights", "kernel", "(4, 3)", "(5, 3)")),
    Misuse("Dense called on another input size", _dense_input_dim, ValueError,
           ("Dense", "last dimension 4", "(2, 5)")),
    Misuse("fit with x and y of different lengths", _fit_example_counts, ValueError,
           ("fit", "4 examples", "5")),
    Misuse("apply_gradients shape mismatch", _apply_gradients_shape, ValueError,
           ("SGD", "(3,)", "(2,)")),
    Misuse("unknown loss name", lambda: tf.keras.losses.get("no_such_loss"), ValueError,
           ("no_such_loss", "mean_squared_error")),
]


def test_table_is_large_and_unique():
    assert len(TABLE) >= 25
    assert len({m.name for m in TABLE}) == len(TABLE)


@pytest.mark.parametrize("case", TABLE, ids=[m.name for m in TABLE])
def test_misuse(case, tmp_path):
    run = case.run
    args = (tmp_path,) if run.__code__.co_argcount == 1 else ()
    with pytest.raises(case.error) as info:
        run(*args)
    msg = str(info.value)
    missing = [s for s in case.says if s not in msg]
    assert not missing, f"{case.name}: message lacks {missing}: {msg}"
    assert not isinstance(info.value, AssertionError)


def test_invalid_argument_error_is_a_value_error():
    # code written for TF (tf.errors.InvalidArgumentError) and for NumPy (ValueError) both catch
    with pytest.raises(ValueError):
        tf.reduce_sum(x23, axis=3)
    with pytest.raises(tf.errors.OpError):
        tf.gather(x23, [9])


@pytest.mark.parametrize("name, python_base", [
    ("InvalidArgumentError", ValueError), ("NotFoundError", FileNotFoundError),
    ("UnimplementedError", NotImplementedError), ("InternalError", RuntimeError),
    ("ResourceExhaustedError", MemoryError), ("PermissionDeniedError", PermissionError),
    ("OutOfRangeError", Exception), ("FailedPreconditionError", Exception),
    ("CancelledError", Exception), ("UnknownError", Exception), ("AbortedError", Exception),
    ("AlreadyExistsError", Exception), ("DeadlineExceededError", Exception),
    ("UnauthenticatedError", Exception), ("UnavailableError", Exception),
    ("DataLossError", Exception)])
def test_tf_error_classes(name, python_base):
    cls = getattr(tf.errors, name)
    assert issubclass(cls, tf.errors.OpError) and issubclass(cls, python_base)
    with pytest.raises(python_base, match="boom"):
        raise cls("boom")


def test_mixed_dtypes_name_both_and_suggest_casting_to_the_first():
    with pytest.raises(TypeError, match=r"add: operands have different dtypes \(float32\[1\], "
                                        r"float64\[1\]\).*tf\.cast\(y, tf\.float32\)"):
        tf.add(tf.constant([1.0]), tf.constant([1.0], tf.float64))
    with pytest.raises(TypeError, match=r"tf\.cast\(y, tf\.int32\)"):
        tf.multiply(tf.constant([2]), tf.constant([1.0]))
