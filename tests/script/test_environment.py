"""The script's environment: tf.config, tf.device, tf.print, tf.debugging.assert_*, tf.version,
logging and the unsupported names — outputs and messages as TF 2.21 writes them."""

import logging
import sys

import numpy as np
import pytest

import tapegrad as tf


def _printed(capsys, *args, **kwargs):
    tf.print(*args, output_stream=sys.stdout, **kwargs)
    return capsys.readouterr().out


# Each expected text was printed by TF 2.21's tf.print for the same input.
@pytest.mark.parametrize("value,want", [
    (lambda: tf.constant([1, 2, 3]), "[1 2 3]\n"),
    (lambda: tf.constant([1.5, 2.0, 3.25e-5, 1e10]), "[1.5 2 3.25e-05 1e+10]\n"),
    (lambda: tf.range(10), "[0 1 2 ... 7 8 9]\n"),
    (lambda: tf.constant([0.1, 1 / 3]), "[0.1 0.333333343]\n"),
    (lambda: tf.constant(1 / 3, tf.float64), "0.33333333333333331\n"),
    (lambda: tf.constant([True, False]), "[1 0]\n"),
    (lambda: tf.constant(123456789.0), "123456792\n"),
    (lambda: tf.constant(-0.0), "-0\n"),
    (lambda: tf.constant(float("nan")), "nan\n"),
    (lambda: tf.Variable([1.0, 2.0]), "[1 2]\n"),
    (lambda: tf.reshape(tf.range(24), (2, 3, 4)),
     "[[[0 1 2 3]\n  [4 5 6 7]\n  [8 9 10 11]]\n\n [[12 13 14 15]\n  [16 17 18 19]\n"
     "  [20 21 22 23]]]\n"),
])
def test_print_formats_as_tf(capsys, value, want):
    assert _printed(capsys, value()) == want


def test_print_summarize_sep_end_and_structures(capsys):
    x = tf.reshape(tf.range(24), (2, 3, 4))
    assert _printed(capsys, x, summarize=1) == (
        "[[[0 ... 3]\n  ...\n  [8 ... 11]]\n\n [[12 ... 15]\n  ...\n  [20 ... 23]]]\n")
    assert _printed(capsys, tf.range(10), summarize=-1) == "[0 1 2 3 4 5 6 7 8 9]\n"
    out = _printed(capsys, "a", 1, 2.5, tf.constant(2.5), [1, tf.constant(2)],
                   {"k": tf.constant([1.0, 2.0])}, sep="|", end="!\n")
    assert out == "a|1|2.5|2.5|[1, 2]|{'k': [1 2]}!\n"


def test_print_goes_to_stderr_by_default_and_to_files(capsys, tmp_path):
    tf.print("hello", tf.constant(1))
    assert capsys.readouterr().err == "hello 1\n"
    path = tmp_path / "log.txt"
    tf.print("a", output_stream=f"file://{path}")
    tf.print("b", output_stream=f"file://{path}")
    assert path.read_text() == "a\nb\n"
    with pytest.raises(ValueError, match="output_stream"):
        tf.print("a", output_stream="somewhere")


def _message(f):
    with pytest.raises((ValueError, TypeError)) as info:
        f()
    return type(info.value), str(info.value)


# Messages recorded from TF 2.21 in eager mode.
def test_binary_assertions_have_tf_messages():
    kind, text = _message(lambda: tf.debugging.assert_equal(tf.constant([1, 2]),
                                                            tf.constant([1, 3]), message="msg"))
    assert issubclass(kind, tf.errors.InvalidArgumentError)
    assert text == ("msg\nCondition x == y did not hold.\nIndices of first 1 different values:\n"
                    "[[1]]\nCorresponding x values:\n[2]\nCorresponding y values:\n[3]\n"
                    "First 2 elements of x:\n[1 2]\nFirst 2 elements of y:\n[1 3]")
    _, text = _message(lambda: tf.debugging.assert_less_equal(tf.constant([3.0, 2]),
                                                              tf.constant([1, 3.0])))
    assert text == ("Condition x <= y did not hold.\nIndices of first 1 different values:\n"
                    "[[0]]\nCorresponding x values:\n[3.]\nCorresponding y values:\n[1.]\n"
                    "First 2 elements of x:\n[3. 2.]\nFirst 2 elements of y:\n[1. 3.]")
    _, text = _message(lambda: tf.debugging.assert_greater(tf.constant([1, 2]), 2))
    assert text == ("Condition x > y did not hold.\nFirst 2 elements of x:\n[1 2]\n"
                    "First 1 elements of y:\n[2]")
    _, text = _message(lambda: tf.debugging.assert_equal(tf.range(30), tf.range(30) + 1))
    assert text.splitlines()[1:4] == ["Indices of first 3 different values:", "[[0]", " [1]"]
    kind, text = _message(lambda: tf.debugging.assert_equal(tf.zeros((2,)), tf.zeros((3,))))
    assert issubclass(kind, tf.errors.InvalidArgumentError) and "Incompatible shapes" in text


def test_passing_assertions_return_none():
    x = tf.constant([1.0, 2.0])
    for f in (tf.debugging.assert_equal(x, x), tf.debugging.assert_less(x, 3.0),
              tf.debugging.assert_greater_equal(x, 1.0), tf.debugging.assert_none_equal(x, 0.0),
              tf.debugging.assert_near(x, x + 1e-7), tf.debugging.assert_positive(x),
              tf.debugging.assert_non_negative(x), tf.debugging.assert_rank(x, 1),
              tf.debugging.assert_type(x, tf.float32), tf.assert_equal(x, x)):
        assert f is None


@pytest.mark.parametrize("f,kind,text", [
    (lambda: tf.debugging.assert_positive(tf.constant([1, -2])), tf.errors.InvalidArgumentError,
     "\nCondition x > 0 did not hold element-wise:\nx (shape=(2,) dtype=int32) = \n['1', '-2']"),
    (lambda: tf.debugging.assert_non_negative(tf.constant([1, -2])),
     tf.errors.InvalidArgumentError,
     "\nCondition x >= 0 did not hold element-wise:\nx (shape=(2,) dtype=int32) = \n['1', '-2']"),
    (lambda: tf.debugging.assert_rank(tf.constant([1, 2]), 2), ValueError,
     "Tensor  must have rank 2.  Received rank 1, shape (2,)"),
    (lambda: tf.debugging.assert_rank_at_least(tf.constant([1, 2]), 2), ValueError,
     "Tensor  must have rank at least 2.  Received rank 1, shape (2,)"),
    (lambda: tf.debugging.assert_rank_in(tf.constant([1, 2]), (0, 2)), ValueError,
     "Tensor  must have rank in (0, 2).  Received rank 1, shape (2,)"),
    (lambda: tf.debugging.assert_scalar(tf.constant([1, 2])), ValueError,
     "Expected scalar shape, saw shape: (2,)."),
    (lambda: tf.debugging.assert_type(tf.constant([1, 2]), tf.float32), TypeError,
     "tensor must be of type tf.float32; got tf.int32"),
    (lambda: tf.debugging.assert_integer(tf.constant([1.0, 2])), TypeError,
     "Expected \"x\" to be integer type.  Found: tensor of dtype <dtype: 'float32'>"),
    (lambda: tf.debugging.assert_shapes([(tf.zeros((2, 3)), ("N", "D")),
                                         (tf.zeros((3, 3)), ("N", "D"))]), ValueError,
     "Specified by tensor shape=(2, 3) dtype=float32 dimension 0.  Tensor shape=(3, 3) "
     "dtype=float32 dimension 0 must have size 2.  Received size 3, shape (3, 3)"),
    (lambda: tf.debugging.assert_shapes([(tf.zeros((2, 3)), (2, 4))]), ValueError,
     "Specified explicitly.  Tensor shape=(2, 3) dtype=float32 dimension 1 must have size 4.  "
     "Received size 3, shape (2, 3)"),
    (lambda: tf.debugging.assert_proper_iterable("abc"), TypeError,
     "Expected argument \"values\" to be a \"proper\" iterable.  Found: <class 'str'>"),
])
def test_unary_and_static_assertions_have_tf_messages(f, kind, text):
    got_kind, got = _message(f)
    assert issubclass(got_kind, kind) and got == text


def test_assert_near_uses_tolerances():
    tf.debugging.assert_near(tf.constant([1.0]), tf.constant([1.05]), atol=0.1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="not equal to tolerance"):
        tf.debugging.assert_near(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.1]))


def test_check_numerics_mode_through_tf_name():
    tf.debugging.enable_check_numerics(stack_height_limit=10)
    try:
        with pytest.raises(tf.errors.InvalidArgumentError, match="log"):
            tf.math.log(tf.constant([-1.0]))
    finally:
        tf.debugging.disable_check_numerics()


def test_devices_as_tf_reports_them_on_a_cpu_machine():
    assert tf.config.list_physical_devices() == [
        tf.config.PhysicalDevice(name="/physical_device:CPU:0", device_type="CPU")]
    assert repr(tf.config.list_physical_devices()[0]) == \
        "PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')"
    assert tf.config.list_physical_devices("GPU") == []
    assert tf.config.list_logical_devices()[0].name == "/device:CPU:0"
    assert tf.config.get_visible_devices() == tf.config.list_physical_devices()
    tf.config.set_visible_devices([], "GPU")
    with pytest.raises(ValueError, match="CPU cannot be hidden"):
        tf.config.set_visible_devices([])
    for gpu in tf.config.list_physical_devices("GPU"):
        tf.config.experimental.set_memory_growth(gpu, True)
    assert tf.config.experimental.enable_op_determinism() is None


def test_device_scope_and_device_names():
    cpu = "/job:localhost/replica:0/task:0/device:CPU:0"
    for name in ("/CPU:0", "cpu:0", "/device:CPU:0", cpu, None):
        with tf.device(name):
            x = tf.constant([1.0])
            v = tf.Variable(1.0)
    assert x.device == cpu and v.device == cpu
    with pytest.raises(tf.errors.InvalidArgumentError, match="GPU"):
        with tf.device("/GPU:0"):
            pass


def test_run_functions_eagerly_runs_python_bodies():
    calls = []

    @tf.function
    def f(x):
        calls.append(tf.executing_eagerly())
        return x * 2.0

    tf.config.run_functions_eagerly(True)
    try:
        assert tf.config.functions_run_eagerly()
        f(tf.constant(1.0))
        f(tf.constant(1.0))
        assert calls == [True, True]
    finally:
        tf.config.run_functions_eagerly(False)
    assert not tf.config.functions_run_eagerly()
    f(tf.constant(1.0))
    assert calls[-1] is False


def test_threads_round_trip():
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(2)
    try:
        assert tf.config.threading.get_intra_op_parallelism_threads() == 1
        assert tf.config.threading.get_inter_op_parallelism_threads() == 2
        assert float(tf.reduce_sum(tf.matmul(tf.ones((64, 64)), tf.ones((64, 64))))) == 64 ** 3
    finally:
        tf.config.threading.set_intra_op_parallelism_threads(0)
        tf.config.threading.set_inter_op_parallelism_threads(0)
    with pytest.raises(ValueError):
        tf.config.threading.set_intra_op_parallelism_threads(-1)


def test_version_logging_autograph():
    assert tf.version.VERSION == "2.21.0" and tf.version.GRAPH_DEF_VERSION == 2474
    assert tf.get_logger().name == "tensorflow"
    levels = tf.compat.v1.logging
    assert (levels.DEBUG, levels.INFO, levels.WARN, levels.ERROR, levels.FATAL) == \
        (10, 20, 30, 40, 50)
    old = tf.get_logger().level
    tf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.ERROR)
    assert tf.get_logger().getEffectiveLevel() == logging.ERROR
    tf.get_logger().setLevel(old)
    tf.autograph.set_verbosity(3)
    assert tf.autograph.experimental.do_not_convert(len)("ab") == 2


def test_dtypes_namespace():
    for name in ("uint16", "uint32", "uint64", "float16", "bool", "complex128", "half"):
        assert isinstance(getattr(tf.dtypes, name), tf.DType)
    assert tf.as_dtype(np.uint32) == tf.dtypes.uint32
    assert tf.dtypes.cast(tf.constant(1.7), tf.dtypes.int32).numpy() == 1


def test_unsupported_names_say_what_to_use():
    with pytest.raises(NotImplementedError, match="tf.train.Checkpoint"):
        tf.saved_model.save(None, "d")
    with pytest.raises(tf.errors.UnimplementedError, match="eager"):
        tf.compat.v1.Session()
