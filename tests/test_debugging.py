"""tape.explain for every classic None gradient, check-numerics, tape pictures, tape memory."""

from __future__ import annotations

import gc
import shutil
import sys
import warnings
import weakref

import numpy as np
import pytest

import tapegrad as tf
from tapegrad import debugging


def _line() -> int:
    """The caller's line number (put on the statement the explanation must name)."""
    return sys._getframe(1).f_lineno


def _names_line(ex, lineno: int, code: str) -> None:
    assert ex.where is not None
    assert ex.where.startswith(f"{__file__}:{lineno}: "), ex.where
    assert code in ex.where
    assert f"{__file__}:{lineno}" in str(ex)
    assert "fix:" in str(ex)


# -- explain: the classic None cases of TF's gradients guide -----------------------------------
@pytest.mark.parametrize("persistent", [True, False])
def test_unconnected_variable(persistent):
    x = tf.Variable(2.0)
    y = tf.Variable(3.0)
    with tf.GradientTape(persistent=persistent) as tape:
        ln = _line() - 1
        z = y * y
    assert tape.gradient(z, x) is None
    ex = tape.explain(z, x)
    assert ex.reason == "not_used"
    assert "never read" in ex.message
    _names_line(ex, ln, "with tf.GradientTape")


def test_unconnected_branches():
    x = tf.Variable(2.0)
    y = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as tape:
        a = x * 2.0
        b = y * 3.0
    ex = tape.explain(b, x)
    assert ex.reason == "not_used"
    assert "separate branches" in ex.message
    assert tape.explain(a, x).reason == "connected"


def test_variable_replaced_by_tensor():
    x = tf.Variable(2.0)
    x = x + 1  # should be x.assign_add(1)
    with tf.GradientTape() as tape:
        ln = _line() - 1
        y = x + 1
    assert tape.gradient(y, x) is None
    ex = tape.explain(y, x)
    assert ex.reason == "not_watched"
    assert "x = x + 1" in ex.message and "assign_add" in ex.fix
    _names_line(ex, ln, "with tf.GradientTape")


@pytest.mark.parametrize("persistent", [True, False])
def test_numpy_in_the_middle(persistent):
    x = tf.Variable([[1.0, 2.0], [3.0, 4.0]], dtype=tf.float32)
    with tf.GradientTape(persistent=persistent) as tape:
        x2 = x ** 2
        y = np.mean(x2, axis=0); ln = _line()  # noqa: E702
        y = tf.reduce_mean(y, axis=0)
    assert tape.gradient(y, x) is None
    ex = tape.explain(y, x)
    assert ex.reason == "left_tape"
    assert "float32[2, 2]" in ex.message
    _names_line(ex, ln, "np.mean(x2, axis=0)")


@pytest.mark.parametrize("how", ["numpy", "float"])
def test_left_tape_by_numpy_and_float(how):
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        h = x * x
        v = h.numpy() if how == "numpy" else float(h); ln = _line()  # noqa: E702
        y = tf.constant(v) * 2.0
    ex = tape.explain(y, x)
    assert ex.reason == "left_tape"
    assert (".numpy()" if how == "numpy" else "float()") in ex.message
    _names_line(ex, ln, "v = h.numpy() if how")


def test_integer_source():
    x = tf.constant(10)
    with tf.GradientTape() as g:
        with pytest.warns(UserWarning, match="int32"):
            g.watch(x); ln = _line()  # noqa: E702
        y = x * x
    assert g.gradient(y, x) is None
    ex = g.explain(y, x)
    assert ex.reason == "integer_dtype"
    assert "int32[]" in ex.message
    _names_line(ex, ln, "g.watch(x)")


def test_integer_variable_source():
    v = tf.Variable(3)
    with tf.GradientTape(persistent=True) as g:
        y = v * v
    ex = g.explain(y, v)
    assert ex.reason == "integer_dtype" and "int32" in ex.message


def test_integer_cast_in_the_path():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = tf.cast(tf.cast(x * 2.0, tf.int32), tf.float32); ln = _line()  # noqa: E702
    assert tape.gradient(y, x) is None
    ex = tape.explain(y, x)
    assert ex.reason == "integer_dtype"
    assert "'cast'" in ex.message and "int32" in ex.message
    _names_line(ex, ln, "tf.cast(tf.cast(x * 2.0, tf.int32)")


def test_assign_add_in_the_path():
    x0 = tf.Variable(3.0)
    x1 = tf.Variable(0.0)
    with tf.GradientTape() as tape:
        x1.assign_add(x0); ln = _line()  # noqa: E702
        y = x1 ** 2
    assert tape.gradient(y, x0) is None
    ex = tape.explain(y, x0)
    assert ex.reason == "assigned"
    assert "assign_add" in ex.message
    _names_line(ex, ln, "x1.assign_add(x0)")


def test_assigned_value_computed_from_the_source():
    x = tf.Variable(3.0)
    acc = tf.Variable(0.0)
    with tf.GradientTape(persistent=True) as tape:
        acc.assign(x * 2.0); ln = _line()  # noqa: E702
        y = acc * 1.0
    ex = tape.explain(y, x)
    assert ex.reason == "assigned"
    assert "'Variable:0' with assign" in ex.message
    _names_line(ex, ln, "acc.assign(x * 2.0)")


@pytest.mark.parametrize("persistent", [True, False])
def test_not_trainable(persistent):
    x = tf.Variable(2.0, trainable=False)
    with tf.GradientTape(persistent=persistent) as tape:
        ln = _line() - 1
        y = x * x
    assert tape.gradient(y, x) is None
    ex = tape.explain(y, x)
    assert ex.reason == "not_trainable"
    assert "trainable=False" in ex.message and "tape.watch" in ex.fix
    _names_line(ex, ln, "with tf.GradientTape")


def test_unwatched_constant():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        ln = _line() - 1
        y = x * x
    assert tape.gradient(y, x) is None
    ex = tape.explain(y, x)
    assert ex.reason == "not_watched"
    assert "tape.watch(x)" in ex.fix
    _names_line(ex, ln, "with tf.GradientTape")


def test_watch_accessed_variables_false():
    x = tf.Variable(2.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        ln = _line() - 1
        y = x * x
    assert tape.gradient(y, x) is None
    ex = tape.explain(y, x)
    assert ex.reason == "not_watched"
    assert "watch_accessed_variables=False" in ex.message
    _names_line(ex, ln, "watch_accessed_variables=False")


@pytest.mark.parametrize("persistent", [True, False])
def test_stop_gradient(persistent):
    x = tf.Variable(2.0)
    with tf.GradientTape(persistent=persistent) as tape:
        y = tf.stop_gradient(x * x) + 1.0; ln = _line()  # noqa: E702
    assert tape.gradient(y, x) is None
    ex = tape.explain(y, x)
    assert ex.reason == "stop_gradient"
    _names_line(ex, ln, "tf.stop_gradient(x * x)")


def test_a_comparison_is_not_blamed_before_a_conversion():
    x = tf.Variable([1.0, -2.0])
    with tf.GradientTape() as tape:
        h = tf.where(x > 0.0, x, 0.0 * x)  # x > 0 is a bool op on x: an event, rarely the cause
        y = tf.constant(h.numpy()) * 2.0; ln = _line()  # noqa: E702
    ex = tape.explain(y, x)
    assert ex.reason == "left_tape"
    _names_line(ex, ln, "tf.constant(h.numpy())")
    assert any(o.startswith("integer_dtype") for o in ex.others)


def test_op_without_gradient():
    x = tf.Variable(2.4)
    with tf.GradientTape() as tape:
        y = tf.math.round(x * 2.0) * 3.0; ln = _line()  # noqa: E702
    assert tape.gradient(y, x) is None
    ex = tape.explain(y, x)
    assert ex.reason == "stop_gradient"
    assert "op 'round' has no gradient" in ex.message and "straight-through" in ex.fix
    _names_line(ex, ln, "tf.math.round(x * 2.0)")


def test_stop_recording():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        with tape.stop_recording():
            ln = _line() - 1
            y = x * x
    assert tape.gradient(y, x) is None
    ex = tape.explain(y, x)
    assert ex.reason == "stop_gradient"
    assert "stop_recording" in ex.message
    _names_line(ex, ln, "tape.stop_recording()")


def test_the_cut_that_made_the_target_wins():
    x = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        h = x * x
        _ = float(h)  # logging: a left_tape event
        y = tf.stop_gradient(h); ln = _line()  # noqa: E702
    ex = tape.explain(y, x)
    assert ex.reason == "stop_gradient"
    _names_line(ex, ln, "tf.stop_gradient(h)")
    assert any(o.startswith("left_tape") for o in ex.others)


# -- explain: connected, and after gradient() ---------------------------------------------------
def test_connected_names_the_ops():
    x = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        y = tf.exp(tf.sin(x * x))
        other = x + 1.0
    ex = tape.explain(y, x)
    assert ex.reason == "connected"
    assert ex.ops == ["multiply", "sin", "exp"]  # `other` is not on the path
    assert "multiply -> sin -> exp" in str(ex)
    assert tape.explain(other, x).ops == ["add"]


def test_connected_after_gradient_on_a_spent_tape():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = tf.exp(x * x)
    g = tape.gradient(y, x)
    np.testing.assert_allclose(g.numpy(), 4.0 * np.exp(4.0), rtol=1e-6)
    assert tape.explain(y, x).reason == "connected"
    with pytest.raises(ValueError, match="persistent=True"):
        tape.explain(x * 1.0, x)  # a pair the spent tape cannot answer about


def test_spent_tape_keeps_no_intermediate_alive():
    x = tf.Variable(np.ones(1000, np.float32))
    with tf.GradientTape() as tape:
        h = x * 2.0
        h_ref = weakref.ref(h)
        v_ref = weakref.ref(h._value)
        s = tf.reduce_sum(h)
        s_ref = weakref.ref(s)
        _ = float(s)  # a boundary event: the tape keeps its graph's skeleton
        y = tf.reduce_sum(tf.exp(h))
        del h, s
    tape.gradient(y, x)
    gc.collect()
    assert h_ref() is None and v_ref() is None and s_ref() is None
    ex = tape.explain(y, x)
    assert ex.reason == "connected" and ex.ops == ["multiply", "exp", "reduce_sum"]


def test_explain_bad_source():
    with tf.GradientTape() as tape:
        pass
    with pytest.raises(TypeError, match="Tensor or Variable"):
        tape.explain(tf.constant(1.0), 3.0)
    with pytest.raises(TypeError, match="one source"):
        tape.explain(tf.constant(1.0), [tf.constant(1.0)])


def test_warn_on_none_gradients():
    x = tf.Variable(2.0, trainable=False)
    w = tf.Variable(1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # off by default: no warning
        with tf.GradientTape() as tape:
            y = x * w
        assert tape.gradient(y, [w, x])[1] is None
    tf.debugging.warn_on_none_gradients()
    try:
        with tf.GradientTape() as tape:
            y = x * w
        with pytest.warns(UserWarning, match="not_trainable") as rec:
            gw, gx = tape.gradient(y, [w, x])
        assert float(gw) == 2.0 and gx is None
        assert len(rec) == 1 and __file__ in str(rec[0].message)
    finally:
        tf.debugging.warn_on_none_gradients(False)


# -- explain costs nothing per op ------------------------------------------------------------------
def _calls_during(fn) -> dict:
    """Count calls of tapegrad.debugging functions and of user_frame while fn runs."""
    counts: dict = {}
    dbg = debugging.__file__

    def prof(frame, event, arg):
        if event == "call":
            code = frame.f_code
            if code.co_filename == dbg or code.co_name == "user_frame":
                key = code.co_name
                counts[key] = counts.get(key, 0) + 1
    sys.setprofile(prof)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return counts


def test_no_line_capture_on_the_op_path():
    x = tf.constant(1.0)

    def chain(steps):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x
            for _ in range(steps):
                y = y * 1.0001 + 0.0001
            assert all(r.where is None for r in tape._records)
        tape.gradient(y, x)
    short = _calls_during(lambda: chain(10))
    long = _calls_during(lambda: chain(500))
    # the same work for 20 ops as for 1000: one stack walk when the tape is entered, a constant
    # summary when gradient() releases the records, nothing per op
    assert short == long
    assert short["user_frame"] == 1
    assert not {"_ops_of", "_skeleton", "_check_output", "_note_cut", "user_line"} & set(short)


# -- check numerics --------------------------------------------------------------------------------
@pytest.fixture
def check_numerics():
    tf.debugging.enable_check_numerics()
    yield
    tf.debugging.disable_check_numerics()


def test_check_numerics_names_log_at_the_forward_line(check_numerics):
    x = tf.constant([-1.0, 2.0])
    ln = _line() + 2
    with pytest.raises(tf.errors.InvalidArgumentError) as e, np.errstate(invalid="ignore"):
        y = tf.math.log(x)  # noqa: F841
    msg = str(e.value)
    assert "op 'log' produced NaN in 1 of 2 elements of a float32[2] output" in msg
    assert f"{__file__}:{ln}: y = tf.math.log(x)" in msg


def test_check_numerics_names_sqrt_during_backward(check_numerics):
    x = tf.constant([0.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.sqrt(x); ln = _line()  # noqa: E702
        loss = tf.reduce_sum(y * 3.0)
    with pytest.raises(tf.errors.InvalidArgumentError) as e, np.errstate(divide="ignore"):
        tape.gradient(loss, x)
    msg = str(e.value)
    assert "gradient of op 'sqrt' produced +Inf in 1 of 2 elements of a float32[2]" in msg
    assert f"{__file__}:{ln}: y = tf.sqrt(x)" in msg


def test_check_numerics_after_a_failed_backward(check_numerics):
    x = tf.constant([0.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.sqrt(x)
    with pytest.raises(tf.errors.InvalidArgumentError, match="gradient of op 'sqrt'"), \
            np.errstate(divide="ignore"):
        tape.gradient(y, x)
    # a later forward NaN is the forward op's, not the last VJP's
    with pytest.raises(tf.errors.InvalidArgumentError, match="op 'log' produced NaN"), \
            np.errstate(invalid="ignore"):
        tf.math.log(tf.constant(-1.0))


def test_check_numerics_inf_and_off():
    x = tf.constant([0.0])
    with np.errstate(divide="ignore"):
        assert np.isneginf(tf.math.log(x).numpy()).all()  # off by default: no error
        tf.debugging.enable_check_numerics()
        try:
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match="'log' produced -Inf in 1 of 1 elements"):
                tf.math.log(x)
            assert float(tf.math.log(tf.constant(1.0))) == 0.0  # finite values pass
        finally:
            tf.debugging.disable_check_numerics()
        assert np.isneginf(tf.math.log(x).numpy()).all()


def test_check_numerics_captures_lines_only_while_on(check_numerics):
    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.exp(x); ln = _line()  # noqa: E702
    (rec,) = tape._records
    assert rec.where.startswith(f"{__file__}:{ln}")
    g = tape.gradient(y, x)
    assert float(g) == pytest.approx(np.e)


# -- pictures --------------------------------------------------------------------------------------
def _mlp_tape():
    rng = np.random.RandomState(0)
    w1 = tf.Variable(rng.randn(4, 8).astype("float32"), name="w1")
    b1 = tf.Variable(np.zeros(8, "float32"), name="b1")
    unused = tf.Variable(1.0, name="unused")
    x = tf.constant(np.ones((16, 4), "float32"))
    with tf.GradientTape(persistent=True) as tape:
        h = tf.nn.relu(tf.matmul(x, w1) + b1)
        side = tf.reduce_max(h)  # not on the path to the loss
        loss = tf.reduce_mean(tf.square(h))
    return tape, loss, [w1, b1, unused], side


def test_to_dot_nodes_edges_and_path():
    tape, loss, srcs, _ = _mlp_tape()
    dot = tape.to_dot(loss, srcs)
    lines = dot.splitlines()
    assert lines[0] == "digraph tape {" and lines[-1] == "}"
    ops = [ln for ln in lines if ln.lstrip().startswith("n") and "[label=" in ln]
    assert len(ops) == 6  # matmul add relu reduce_max square reduce_mean
    assert any('"matmul\\nfloat32[16, 8]"' in ln for ln in ops)
    assert any("reduce_mean\\nfloat32[]\\n(target)" in ln and "peripheries=2" in ln
               for ln in ops)
    edges = [ln for ln in lines if "->" in ln]
    assert len(edges) == 7  # 5 between ops, w1 and b1 into the ops
    red = [ln for ln in edges if "#c0392b" in ln]
    assert len(red) == 6  # all but relu -> reduce_max
    side = next(ln for ln in ops if "reduce_max" in ln)
    assert "#c0392b" not in side
    grey = next(ln for ln in lines if '"unused:0' in ln)
    assert "dashed" in grey and "#9a9a9a" in grey
    assert "dashed" not in next(ln for ln in lines if '"w1:0' in ln)


def test_to_dot_collapses_long_chains_and_caps():
    x = tf.constant(1.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x
        for _ in range(300):
            y = y * 1.0001 + 0.0001
        z = tf.concat([tf.reshape(x * float(i), [1]) for i in range(30)], 0)
    dot = tape.to_dot(y, x)
    assert "600 ops in a chain\\nmultiply ×300, add ×300" in dot
    # source -> chain, and for the concat: source -> 30 mul -> 30 reshape -> concat
    assert dot.count("->") == 1 + 30 + 30 + 30
    capped = tape.to_dot(z, x, max_nodes=10)
    assert "more ops not shown" in capped
    assert sum(1 for ln in capped.splitlines() if ln.startswith("  n")
               and "[label=" in ln) == 11  # 10 + the target
    # a non-persistent tape must be drawn before gradient()
    with tf.GradientTape() as t2:
        t2.watch(x)
        q = x * 2.0
    t2.gradient(q, x)
    with pytest.raises(ValueError, match="before calling gradient"):
        t2.to_dot(q, x)


def test_render_svg(tmp_path):
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed (apt-get install graphviz)")
    tape, loss, srcs, _ = _mlp_tape()
    out = tape.render(str(tmp_path / "tape.svg"), loss, srcs)
    svg = open(out).read()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for name in ("matmul", "relu", "reduce_mean", "w1:0", "unused:0"):
        assert name in svg
    png = tape.render(str(tmp_path / "tape.png"), loss, srcs)
    assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"


def test_render_errors(tmp_path, monkeypatch):
    tape, loss, srcs, _ = _mlp_tape()
    with pytest.raises(ValueError, match=r"\.svg, \.png or \.pdf.*tape\.gif"):
        tape.render(str(tmp_path / "tape.gif"), loss, srcs)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        tape.render(str(tmp_path / "tape.svg"), loss, srcs)


# -- memory ----------------------------------------------------------------------------------------
def test_memory_bytes_counts_each_array_once():
    x = tf.zeros([1000])  # float32: 4000 bytes
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * 2.0       # 4000
        z = y + y         # 4000, y counted once
        r = tf.reshape(z, [10, 100])  # a view of z's array: no new bytes
    assert tape.memory_bytes() == 12000
    assert r.shape == (10, 100)
    w = tf.Variable(np.zeros((50, 10), np.float64))  # 4000 bytes, read once
    with tf.GradientTape(persistent=True) as t2:
        v = tf.reduce_sum(w * w)
    assert t2.memory_bytes() == 4000 + 4000 + 8
    assert float(v) == 0.0


def test_memory_threshold_warns_once_naming_ops():
    try:
        tf.debugging.set_tape_memory_threshold(100_000)
        x = tf.zeros([20_000])  # 80 kB
        with pytest.warns(ResourceWarning) as rec:
            with tf.GradientTape(persistent=True) as tape:
                tape.watch(x)
                y = tf.exp(x)  # 80 kB more
        msg = str(rec[0].message)
        assert "156.2 KiB" in msg and "exp (78.1 KiB)" in msg and "watched tensors" in msg
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with tape:  # once per tape
                y = y * 2.0
            with tf.GradientTape() as t2:  # non-persistent tapes are not checked
                t2.watch(x)
                tf.exp(x) * tf.exp(x)
        with pytest.raises(ValueError, match="non-negative"):
            tf.debugging.set_tape_memory_threshold(-1)
    finally:
        tf.debugging.set_tape_memory_threshold(2 ** 30)


def test_memory_warning_with_a_multi_output_op():
    try:
        tf.debugging.set_tape_memory_threshold(10_000)
        x = tf.zeros([4000])  # 16 kB
        with pytest.warns(ResourceWarning, match=r"46\.9 KiB.*concat \(15\.6 KiB\)"):
            with tf.GradientTape(persistent=True) as tape:
                tape.watch(x)
                a, b = tf.split(x * 3.0, 2)
                c = tf.concat([b, a], 0)  # noqa: F841
        # x, x * 3 and the concat, 16 kB each; the split's halves are views of x * 3
        assert tape.memory_bytes() == 3 * 16_000
    finally:
        tf.debugging.set_tape_memory_threshold(2 ** 30)


def test_check_numerics_op():
    # TF: "my msg : Tensor had NaN values" / "... Inf values" (InvalidArgumentError)
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.debugging.check_numerics(x * 3.0, "my msg")
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [3.0, 3.0])
    ln = _line() + 2
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        tf.debugging.check_numerics(tf.constant([1.0, np.nan]), "my msg")
    assert str(e.value).startswith("my msg : Tensor had NaN values (float32[2], at ")
    assert f"{__file__}:{ln}" in str(e.value)
    with pytest.raises(tf.errors.InvalidArgumentError, match="my msg : Tensor had Inf values"):
        tf.debugging.assert_all_finite(tf.constant([np.inf, 1.0]), "my msg")
    with pytest.raises(TypeError, match="check_numerics.*int32\\[2\\]"):
        tf.debugging.check_numerics(tf.constant([1, 2]), "m")
