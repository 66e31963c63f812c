"""conv1d, conv2d, max_pool2d, avg_pool2d: gradients to second order, values against naive loops
and TF's numbers, TF's SAME padding arithmetic, errors."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad import nn
from tapegrad.ops import conv
from tapegrad.testing import GradCase, check_grads

REV_FWD = ("rev", "fwd")
IMG, FILT = (2, 5, 5, 3), (3, 3, 3, 4)
SMALL_IMG, SMALL_FILT = (1, 3, 4, 2), (2, 2, 2, 2)  # small enough for the jacobian check


def _arg(x, ksize, strides, pads):
    """Which kernel offset holds each max-pool window's maximum (max_pool2d's second output)."""
    return conv._max_pool(x, ksize=ksize, strides=strides, pads=pads)[1]


def _conv_case(name, shapes, **kw):
    return GradCase(name, lambda x, w: nn.conv2d(x, w, **kw), shapes, modes=REV_FWD)


GRAD_CASES = [
    _conv_case("conv2d_same_s1", [(IMG, FILT)], strides=1, padding="SAME"),
    _conv_case("conv2d_valid_s1", [(IMG, FILT)], strides=1, padding="VALID"),
    _conv_case("conv2d_same_s2", [(IMG, FILT)], strides=2, padding="SAME"),
    _conv_case("conv2d_valid_s2", [(IMG, FILT)], strides=[1, 2, 2, 1], padding="VALID"),
    _conv_case("conv2d_same_dilation2", [(IMG, FILT)], strides=1, padding="SAME", dilations=2),
    _conv_case("conv2d_valid_dilation2", [(IMG, (2, 2, 3, 4))], strides=1, padding="VALID",
               dilations=[1, 2, 2, 1]),
    _conv_case("conv2d_same_s2_dilation2", [(IMG, (2, 2, 3, 4))], strides=2, padding="SAME",
               dilations=2),
    _conv_case("conv2d_explicit_pad", [(IMG, (2, 3, 3, 2))], strides=(2, 1),
               padding=[[0, 0], [1, 0], [2, 1], [0, 0]]),
    GradCase("conv2d_small_jacobian", lambda x, w: nn.conv2d(x, w, 2, "SAME"),
             [(SMALL_IMG, SMALL_FILT)]),
    GradCase("conv2d_nchw", lambda x, w: nn.conv2d(x, w, 1, "SAME", data_format="NCHW"),
             [((1, 2, 3, 4), SMALL_FILT)]),
    GradCase("conv2d_transpose",
             lambda g, w: nn.conv2d_transpose(g, w, (2, 5, 5, 3), 2, "SAME"),
             [((2, 3, 3, 4), FILT)], modes=REV_FWD),
    GradCase("depthwise_conv2d",
             lambda x, w: nn.depthwise_conv2d(x, w, [1, 2, 2, 1], "SAME"),
             [((2, 5, 5, 3), (3, 3, 3, 2))], modes=REV_FWD),
    GradCase("depthwise_conv2d_small_jacobian",
             lambda x, w: nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "VALID", dilations=[1, 2]),
             [((1, 3, 4, 2), (2, 2, 2, 2))]),
    GradCase("separable_conv2d",
             lambda x, d, p: nn.separable_conv2d(x, d, p, [1, 1, 1, 1], "VALID"),
             [((1, 4, 4, 2), (2, 2, 2, 2), (1, 1, 4, 3))], modes=REV_FWD),
    GradCase("max_pool1d", lambda x: nn.max_pool1d(x, 3, 2, "SAME"), [((2, 7, 3),)]),
    GradCase("avg_pool1d", lambda x: nn.avg_pool1d(x, 2, 1, "VALID", data_format="NCW"),
             [((2, 3, 7),)]),
    GradCase("conv1d", lambda x, w: nn.conv1d(x, w, 2, "SAME"), [((2, 7, 3), (3, 3, 2))]),
    GradCase("conv1d_dilated", lambda x, w: nn.conv1d(x, w, 1, "VALID", dilations=2),
             [((2, 7, 3), (3, 3, 2))]),
    # the two transposed products, called directly, with a leading broadcast batch dimension
    GradCase("conv2d_input_grad",
             lambda g, w: conv._conv2d_input_grad(g, w, size=(5, 5), strides=(2, 2),
                                                  dilations=(1, 1), pads=((1, 1), (1, 1))),
             [((2, 3, 3, 4), FILT), ((2, 2, 3, 3, 4), FILT)], modes=REV_FWD),
    GradCase("conv2d_filter_grad",
             lambda x, g: conv._conv2d_filter_grad(x, g, ksize=(3, 3), strides=(1, 1),
                                                   dilations=(2, 2), pads=((2, 2), (2, 2))),
             [(IMG, (2, 5, 5, 4)), ((2, 2, 5, 5, 3), (2, 5, 5, 4))], modes=REV_FWD),
    GradCase("conv2d_batched_filter",
             lambda x, w: conv._conv2d(x, w, strides=(1, 1), dilations=(1, 1),
                                       pads=((0, 1), (1, 0))),
             [((1, 3, 3, 2), (2, 2, 2, 2, 3))]),
    GradCase("max_pool2d_valid", lambda x: nn.max_pool2d(x, 2, 2, "VALID"), [(IMG,)]),
    GradCase("max_pool2d_same_overlap", lambda x: nn.max_pool2d(x, 3, 2, "SAME"), [(IMG,)]),
    GradCase("max_pool2d_small_jacobian", lambda x: nn.max_pool2d(x, 2, 1, "SAME"),
             [((1, 3, 4, 2),)]),
    GradCase("max_pool2d_grad",
             lambda g, x: conv._max_pool_grad(g, _arg(x, (3, 3), (2, 2), ((1, 1), (1, 1))),
                                              size=(5, 5), ksize=(3, 3), strides=(2, 2),
                                              pads=((1, 1), (1, 1))),
             [((2, 3, 3, 3), IMG), ((2, 2, 3, 3, 3), IMG)], modes=REV_FWD),
    GradCase("max_pool2d_select",
             lambda g, x: conv._max_pool_select(g, _arg(x, (2, 2), (1, 1), ((0, 1), (0, 1))),
                                                ksize=(2, 2), strides=(1, 1),
                                                pads=((0, 1), (0, 1))),
             [(IMG, IMG), ((2,) + IMG, IMG)], modes=REV_FWD),
    GradCase("max_pool", lambda x: nn.max_pool(x, 2, 1, "SAME"), [((1, 3, 4, 2),), ((2, 5, 2),)]),
    GradCase("avg_pool", lambda x: nn.avg_pool(x, [2, 3], 1, "SAME"), [((1, 3, 4, 2),)]),
    GradCase("avg_pool_1d", lambda x: nn.avg_pool(x, 2, 2, "VALID"), [((2, 5, 2),)]),
    GradCase("avg_pool2d_valid", lambda x: nn.avg_pool2d(x, 2, 2, "VALID"), [(IMG,)]),
    GradCase("avg_pool2d_same_overlap", lambda x: nn.avg_pool2d(x, 3, 2, "SAME"), [(IMG,)]),
    GradCase("avg_pool2d_small_jacobian", lambda x: nn.avg_pool2d(x, [1, 2, 3, 1], 1, "SAME"),
             [((1, 3, 4, 2),)]),
    GradCase("avg_pool2d_grad",
             lambda g: conv._avg_pool_grad(g, size=(5, 5), ksize=(3, 3), strides=(2, 2),
                                           pads=((1, 1), (1, 1))),
             [((2, 3, 3, 3),), ((2, 2, 3, 3, 3),)], modes=REV_FWD),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


# -- forward values against a naive loop ----------------------------------------------------------
def _same_pads(n, k, s, d):
    """TF's SAME rule restated: output ceil(n / s); the odd padded row goes after."""
    out = -(-n // s)
    total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
    return total // 2, total - total // 2


def _naive_conv2d(x, w, s, padding, d):
    n, h, wd, c = x.shape
    kh, kw, _, o = w.shape
    (pt, pb), (pl, pr) = ((_same_pads(h, kh, s, d), _same_pads(wd, kw, s, d))
                          if padding == "SAME" else ((0, 0), (0, 0)))
    xp = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    ho = (h + pt + pb - (kh - 1) * d - 1) // s + 1
    wo = (wd + pl + pr - (kw - 1) * d - 1) // s + 1
    out = np.zeros((n, ho, wo, o))
    for b in range(n):
        for i in range(ho):
            for j in range(wo):
                for a in range(kh):
                    for e in range(kw):
                        out[b, i, j] += xp[b, i * s + a * d, j * s + e * d] @ w[a, e]
    return out


@pytest.mark.parametrize("s,padding,d", [(1, "SAME", 1), (1, "VALID", 1), (2, "SAME", 1),
                                         (2, "VALID", 1), (3, "SAME", 1), (1, "SAME", 2),
                                         (1, "VALID", 2), (2, "SAME", 2), (2, "VALID", 2)])
@pytest.mark.parametrize("hw", [(5, 5), (6, 7)])
def test_conv2d_matches_naive_loop(s, padding, d, hw):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2,) + hw + (3,))
    w = rng.standard_normal((3, 2, 3, 4))
    np.testing.assert_allclose(nn.conv2d(x, w, s, padding, dilations=d).numpy(),
                               _naive_conv2d(x, w, s, padding, d), rtol=1e-12, atol=1e-12)


def test_conv2d_tf_numbers_odd_same_padding():
    # TF 2 outputs: the 5x5 input with stride 2 SAME pads one zero row/column after, none before
    x = tf.reshape(tf.range(25.0), [1, 5, 5, 1])
    w = tf.reshape(tf.constant([1.0, 2.0, 3.0, 4.0]), [2, 2, 1, 1])
    with tf.GradientTape() as tape:
        tape.watch([x, w])
        y = nn.conv2d(x, w, 2, "SAME")
    gx, gw = tape.gradient(y, [x, w])
    np.testing.assert_array_equal(y.numpy()[0, :, :, 0], [[41, 61, 31], [141, 161, 71],
                                                          [62, 68, 24]])
    np.testing.assert_array_equal(gx.numpy()[0, :, :, 0], np.tile([[1, 2], [3, 4]], (3, 3))[:5, :5])
    np.testing.assert_array_equal(gw.numpy()[:, :, 0, 0], [[108, 72], [72, 48]])


def test_conv1d_is_conv2d_of_height_one():
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal((2, 9, 3)), rng.standard_normal((3, 3, 2))
    for s, p, d in [(2, "SAME", 1), (1, "VALID", 2)]:
        ref = _naive_conv2d(x[:, None], w[None], s, p, d)[:, 0]
        np.testing.assert_allclose(nn.conv1d(x, w, s, p, dilations=d).numpy(), ref, rtol=1e-12)
    np.testing.assert_allclose(nn.conv1d(np.swapaxes(x, 1, 2), w, 1, "SAME", data_format="NCW")
                               .numpy(), np.swapaxes(nn.conv1d(x, w, 1, "SAME").numpy(), 1, 2))


def test_conv2d_nchw_is_transposed_nhwc():
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((2, 5, 6, 3)), rng.standard_normal((3, 3, 3, 2))
    y = nn.conv2d(np.transpose(x, (0, 3, 1, 2)), w, 2, "SAME", data_format="NCHW").numpy()
    np.testing.assert_allclose(np.transpose(y, (0, 2, 3, 1)), nn.conv2d(x, w, 2, "SAME").numpy())


@pytest.mark.parametrize("s,padding,d,out", [(2, "SAME", 1, (2, 5, 5, 3)),
                                             (2, "VALID", 1, (2, 6, 7, 3)),
                                             (1, "SAME", 2, (2, 5, 6, 3))])
def test_conv2d_transpose_is_the_adjoint_of_conv2d(s, padding, d, out):
    rng = np.random.default_rng(6)
    x = rng.standard_normal(out)
    w = rng.standard_normal((3, 3, 3, 4))
    y = nn.conv2d(x, w, s, padding, dilations=d).numpy()
    g = rng.standard_normal(y.shape)
    xt = nn.conv2d_transpose(g, w, out, s, padding, dilations=d).numpy()
    assert xt.shape == out
    # <conv2d_transpose(g, w), x> = <g, conv2d(x, w)>
    np.testing.assert_allclose(np.sum(xt * x), np.sum(g * y), rtol=1e-12)
    xn = nn.conv2d_transpose(np.transpose(g, (0, 3, 1, 2)), w, [out[0], out[3], out[1], out[2]],
                             s, padding, data_format="NCHW", dilations=d).numpy()
    np.testing.assert_allclose(np.transpose(xn, (0, 2, 3, 1)), xt)


def test_conv2d_transpose_errors_name_shapes():
    w = np.zeros((3, 3, 3, 4))
    with pytest.raises(ValueError, match=r"would give \[2, 3, 3, 4\], but input is "
                                         r"\[2, 4, 4, 4\]"):
        nn.conv2d_transpose(np.zeros((2, 4, 4, 4)), w, [2, 5, 5, 3], 2, "SAME")
    with pytest.raises(ValueError, match="output_shape 4 ints"):
        nn.conv2d_transpose(np.zeros((2, 3, 3, 4)), w, [5, 5], 2, "SAME")


def test_pool1d_is_pool2d_of_height_one():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 7, 3))
    np.testing.assert_allclose(nn.max_pool1d(x, 3, 2, "SAME").numpy(),
                               nn.max_pool2d(x[:, None], (1, 3), (1, 2), "SAME").numpy()[:, 0])
    np.testing.assert_allclose(nn.max_pool(x, 3, 2, "VALID").numpy(),
                               np.stack([x[:, 0:3].max(1), x[:, 2:5].max(1), x[:, 4:7].max(1)],
                                        1))
    np.testing.assert_allclose(nn.avg_pool(x, 2, 2, "VALID").numpy(),
                               x[:, :6].reshape(2, 3, 2, 3).mean(2))
    with pytest.raises(ValueError, match=r"max_pool1d: input must be 3-D.*\[7, 3\]"):
        nn.max_pool1d(x[0], 2, 2, "SAME")


@pytest.mark.parametrize("s,padding,d", [(1, "SAME", 1), (2, "VALID", 1), (1, "SAME", 2)])
def test_depthwise_conv2d_is_a_conv_per_channel(s, padding, d):
    rng = np.random.default_rng(8)
    x, w = rng.standard_normal((2, 6, 5, 3)), rng.standard_normal((3, 2, 3, 2))
    y = nn.depthwise_conv2d(x, w, [1, s, s, 1], padding, dilations=[d, d]).numpy()
    for c in range(3):  # output channel c * M + m is input channel c with filter [..., c, m]
        ref = _naive_conv2d(x[..., c:c + 1], w[:, :, c:c + 1, :], s, padding, d)
        np.testing.assert_allclose(y[..., 2 * c:2 * c + 2], ref, rtol=1e-12, atol=1e-12)
    yn = nn.depthwise_conv2d(np.transpose(x, (0, 3, 1, 2)), w, [1, s, s, 1], padding,
                             data_format="NCHW", dilations=[d, d]).numpy()
    np.testing.assert_allclose(np.transpose(yn, (0, 2, 3, 1)), y)
    p = rng.standard_normal((1, 1, 6, 4))
    np.testing.assert_allclose(nn.separable_conv2d(x, w, p, [1, s, s, 1], padding,
                                                   dilations=[d, d]).numpy(),
                               np.tensordot(y, p[0, 0], axes=1), rtol=1e-12)
    with pytest.raises(ValueError, match=r"input depth 3 .* in_channels 2 \(filter shape"):
        nn.depthwise_conv2d(x, w[:, :, :2], 1, "SAME")


# -- pooling values and TF's gradient conventions -------------------------------------------------
def _pool_value_and_grad(f, x):
    x = tf.constant(np.asarray(x, np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return y.numpy()[0, :, :, 0], tape.gradient(y, x).numpy()[0, :, :, 0]


def test_max_pool_gradient_goes_to_first_max_as_tf():
    x = np.array([[1, 3, 3], [3, 0, 1], [2, 3, 1]], np.float32).reshape(1, 3, 3, 1)
    # TF 2 outputs for these two programs (ties: the first maximum in row-major order)
    y, g = _pool_value_and_grad(lambda t: nn.max_pool2d(t, 2, 1, "VALID"), x)
    np.testing.assert_array_equal(y, [[3, 3], [3, 3]])
    np.testing.assert_array_equal(g, [[0, 2, 0], [1, 0, 0], [0, 1, 0]])
    y, g = _pool_value_and_grad(lambda t: nn.max_pool2d(t, 2, 2, "SAME"), x)
    np.testing.assert_array_equal(y, [[3, 3], [3, 1]])
    np.testing.assert_array_equal(g, [[0, 1, 1], [0, 0, 0], [0, 1, 1]])


def test_max_pool_same_pads_with_minus_infinity():
    x = -np.ones((1, 3, 3, 1), np.float32) - np.arange(9).reshape(1, 3, 3, 1)
    y, _ = _pool_value_and_grad(lambda t: nn.max_pool2d(t, 2, 2, "SAME"), x)
    np.testing.assert_array_equal(y, [[-1, -3], [-7, -9]])


def test_avg_pool_same_ignores_padding_as_tf():
    x = (np.arange(50, dtype=np.float32) % 7).reshape(2, 5, 5, 1)
    y, g = _pool_value_and_grad(lambda t: nn.avg_pool2d(t, 3, 2, "SAME"), x)
    # TF 2 outputs for this program
    np.testing.assert_allclose(y, [[3, 2.1666667, 2.5], [3.5, 3.4444444, 3], [2.25, 2, 3.5]],
                               rtol=1e-6)
    row = np.array([0.25, 0.4166667, 0.16666667, 0.4166667, 0.25])
    np.testing.assert_allclose(g[0], row, rtol=1e-6)
    np.testing.assert_allclose(g[2], [0.16666667, 0.2777778, 0.11111111, 0.2777778, 0.16666667],
                               rtol=1e-6)


def test_pools_match_naive_windows():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 6, 5, 3))
    mp = nn.max_pool2d(x, [2, 3], [2, 1], "VALID").numpy()
    ap = nn.avg_pool2d(x, [2, 3], [2, 1], "VALID").numpy()
    for i in range(3):
        for j in range(3):
            win = x[:, 2 * i:2 * i + 2, j:j + 3, :]
            np.testing.assert_allclose(mp[:, i, j], win.max((1, 2)))
            np.testing.assert_allclose(ap[:, i, j], win.mean((1, 2)))


# -- higher order through batched cotangents ------------------------------------------------------
@pytest.mark.parametrize("which", ["conv_w", "conv_x", "pool_x"])
def test_hessian_vectorized_equals_loop_and_finite_differences(which):
    rng = np.random.default_rng(5)
    x0, w0 = rng.standard_normal((1, 4, 4, 2)), rng.standard_normal((2, 2, 2, 2))

    def loss(x, w):
        y = nn.conv2d(x, w, 2, "SAME") if which != "pool_x" else nn.max_pool2d(
            nn.conv2d(x, w, 1, "SAME"), 2, 2, "VALID") + nn.avg_pool2d(x, 2, 2, "SAME")
        return tf.reduce_sum(tf.tanh(y))

    src = 1 if which == "conv_w" else 0

    def grad(*args):
        args = list(args)
        with tf.GradientTape() as inner:
            inner.watch(args[src])
            out = loss(*args)
        return inner.gradient(out, args[src])

    args = [tf.constant(x0), tf.constant(w0)]
    with tf.GradientTape(persistent=True) as outer:
        outer.watch(args[src])
        g = grad(*args)
    fast = outer.jacobian(g, args[src]).numpy()
    slow = outer.jacobian(g, args[src], experimental_use_pfor=False).numpy()
    np.testing.assert_allclose(fast, slow, rtol=1e-10, atol=1e-12)
    check_grads(lambda a: grad(*([a, args[1]] if src == 0 else [args[0], a])),
                [[x0, w0][src]], order=1, modes=REV_FWD)


# -- errors ---------------------------------------------------------------------------------------
def test_conv_errors_name_shapes():
    x, w = np.zeros((1, 5, 5, 3), np.float32), np.zeros((3, 3, 2, 4), np.float32)
    with pytest.raises(ValueError, match=r"input depth 3 \(input shape \[1, 5, 5, 3\].*"
                                         r"in_channels 2 \(filters shape \[3, 3, 2, 4\]\)"):
        nn.conv2d(x, w, 1, "SAME")
    with pytest.raises(ValueError, match=r"conv2d: input must be 4-D.*got input \[5, 5, 3\]"):
        nn.conv2d(x[0], w, 1, "SAME")
    with pytest.raises(ValueError, match="padding must be 'SAME', 'VALID'"):
        nn.conv2d(x, w[:, :, :1].repeat(3, 2), 1, "FULL")
    with pytest.raises(ValueError, match="batch and channel"):
        nn.conv2d(x, np.zeros((3, 3, 3, 4), np.float32), [2, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="computed output size would be non-positive"):
        nn.conv2d(x[:, :2, :2], np.zeros((3, 3, 3, 4), np.float32), 1, "VALID")
    with pytest.raises(TypeError, match="input is float32 but filters are float64"):
        nn.conv2d(x, np.zeros((3, 3, 3, 4)), 1, "SAME")
    with pytest.raises(TypeError, match="conv2d: input must be a floating-point tensor"):
        nn.conv2d(np.zeros((1, 5, 5, 3), np.int32), w, 1, "SAME")
    with pytest.raises(ValueError, match=r"conv1d: input must be 3-D.*filters \[3, 3, 2, 4\]"):
        nn.conv1d(x[0], w, 1, "SAME")


def test_pool_errors():
    x = np.zeros((1, 2, 2, 1), np.float32)
    with pytest.raises(ValueError, match=r"max_pool2d: input must be 4-D.*\[2, 2, 1\]"):
        nn.max_pool2d(x[0], 2, 1, "VALID")
    with pytest.raises(ValueError, match="avg_pool2d: the window"):
        nn.avg_pool2d(x, 3, 1, "VALID")
    with pytest.raises(ValueError, match="ksize must be an int or a list of 1, 2 or 4"):
        nn.max_pool2d(x, [1, 2, 2], 1, "VALID")
