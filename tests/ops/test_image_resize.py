"""tf.image.resize (ops/image_resize.py): every method, with and without antialias, against
TF 2.21's recorded outputs; dtypes; gradients of the linear resize; errors."""

import os

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.testing import GradCase

DATA = np.load(os.path.join(os.path.dirname(__file__), "..", "data", "tf_image.npz"))
METHODS = ["bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian",
           "mitchellcubic"]
SIZES = [(3, 4), (9, 11), (5, 14)]
IMAGES = [((5, 4, 2),), ((2, 4, 5, 1),)]
im = tf.image


def _resize(method, size, antialias=False):
    return lambda x: im.resize(x, size, method, antialias=antialias)


GRAD_CASES = [
    GradCase("resize_bilinear", _resize("bilinear", (3, 7)), IMAGES),
    GradCase("resize_bilinear_antialias", _resize("bilinear", (2, 3), True), IMAGES[:1]),
    GradCase("resize_nearest", _resize("nearest", (7, 3)), IMAGES),
    GradCase("resize_bicubic", _resize("bicubic", (6, 3)), IMAGES),
    GradCase("resize_bicubic_antialias", _resize("bicubic", (3, 3), True), IMAGES[1:]),
    GradCase("resize_area", _resize("area", (3, 3)), IMAGES[:1]),
    GradCase("resize_lanczos3", _resize("lanczos3", (4, 6)), IMAGES[:1]),
    GradCase("resize_mitchellcubic", _resize("mitchellcubic", (2, 9), True), IMAGES[1:]),
    GradCase("resize_aspect", lambda x: im.resize(x, (8, 8), preserve_aspect_ratio=True),
             IMAGES[:1]),
    GradCase("resize_with_pad", lambda x: im.resize_with_pad(x, 6, 6), IMAGES),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("antialias", [False, True])
def test_resize_as_tf(method, antialias):
    x = DATA["resize/in"]
    for h, w in SIZES:
        got = im.resize(x, (h, w), method, antialias=antialias)
        want = DATA[f"resize/{method}/{int(antialias)}/{h}x{w}"]
        assert got.dtype == tf.float32 and got.shape == want.shape
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=2e-6)
        one = im.resize(x[1], tf.constant([h, w]), method.upper(), antialias=antialias)
        np.testing.assert_allclose(one.numpy(), want[1], rtol=1e-5, atol=2e-6)


def test_aspect_ratio_pad_and_uint8_as_tf():
    x = DATA["resize/in"]
    np.testing.assert_allclose(im.resize(x, (10, 10), preserve_aspect_ratio=True).numpy(),
                               DATA["resize/aspect"], rtol=1e-5, atol=2e-6)
    np.testing.assert_allclose(im.resize_with_pad(x, 8, 8).numpy(), DATA["resize_with_pad"],
                               rtol=1e-5, atol=2e-6)
    np.testing.assert_allclose(im.resize_with_pad(x, 4, 9, antialias=True).numpy(),
                               DATA["resize_with_pad_aa"], rtol=1e-5, atol=2e-6)
    u8 = DATA["resize_u8/in"]
    got = im.resize(u8, (7, 5))
    assert got.dtype == tf.float32
    np.testing.assert_allclose(got.numpy(), DATA["resize_u8/bilinear"], rtol=1e-5, atol=1e-4)
    near = im.resize(u8, (7, 5), im.ResizeMethod.NEAREST_NEIGHBOR)
    assert near.dtype == tf.uint8
    np.testing.assert_array_equal(near.numpy(), DATA["resize_u8/nearest"])


def test_dtypes():
    x = np.random.default_rng(0).random((4, 4, 1))
    assert im.resize(x, (2, 2)).dtype == tf.float64  # tapegrad keeps float64 (TF: float32)
    assert im.resize(x.astype(np.float16), (2, 2)).dtype == tf.float32
    assert im.resize(x.astype(np.int32), (2, 2), "nearest").dtype == tf.int32


def test_weights_keep_constants_and_sums():
    ones = np.ones((1, 6, 9, 1), np.float32)
    for method in METHODS:
        for aa in (False, True):
            got = im.resize(ones, (4, 13), method, antialias=aa).numpy()
            np.testing.assert_allclose(got, 1.0, rtol=1e-6, err_msg=f"{method} {aa}")


def test_errors_name_the_op():
    x = np.zeros((4, 4, 1), np.float32)
    with pytest.raises(InvalidArgumentError, match="resize: unknown method 'cubic'"):
        im.resize(x, (2, 2), "cubic")
    with pytest.raises(InvalidArgumentError, match="resize: size must be positive"):
        im.resize(x, (0, 2))
    with pytest.raises(InvalidArgumentError, match=r"resize: size must be \[new_height"):
        im.resize(x, (2, 2, 2))
    with pytest.raises(InvalidArgumentError, match="resize: expected an image of rank 3 or 4"):
        im.resize(x[0], (2, 2))
