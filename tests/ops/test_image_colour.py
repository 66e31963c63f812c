"""tf.image colour (ops/image_colour.py): dtype conversion, colour spaces and adjustments against
TF 2.21's recorded outputs (float32 and uint8 images), gradients, and errors."""

import os

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.testing import GradCase

DATA = np.load(os.path.join(os.path.dirname(__file__), "..", "data", "tf_image.npz"))
RGB = [((3, 4, 3),), ((2, 2, 3, 3),)]
im = tf.image


def _rgb(rng, shapes):
    """Channel values in (0.05, 0.95), well apart within a pixel (no ties in max/min)."""
    out = []
    for s in shapes:
        base = rng.permutation(np.array([0.1, 0.45, 0.8] * (int(np.prod(s)) // 3)))
        out.append((base + rng.uniform(-0.05, 0.05, base.shape)).reshape(s))
    return out


def _hsv(rng, shapes):
    """Hue away from the sector edges (multiples of 1/6), saturation and value in (0.2, 0.9)."""
    x = rng.uniform(0.2, 0.9, shapes[0])
    x[..., 0] = (rng.integers(0, 6, shapes[0][:-1]) + rng.uniform(0.1, 0.9, shapes[0][:-1])) / 6
    return [x]


GRAD_CASES = [
    GradCase("convert_image_dtype", lambda x: im.convert_image_dtype(x, tf.float64), RGB[:1]),
    GradCase("rgb_to_grayscale", im.rgb_to_grayscale, RGB),
    GradCase("grayscale_to_rgb", im.grayscale_to_rgb, [((3, 4, 1),)]),
    GradCase("rgb_to_hsv", im.rgb_to_hsv, RGB, make_args=_rgb),
    GradCase("hsv_to_rgb", im.hsv_to_rgb, RGB, make_args=_hsv),
    GradCase("rgb_to_yiq", im.rgb_to_yiq, RGB[:1]),
    GradCase("yiq_to_rgb", im.yiq_to_rgb, RGB[:1]),
    GradCase("rgb_to_yuv", im.rgb_to_yuv, RGB[:1]),
    GradCase("yuv_to_rgb", im.yuv_to_rgb, RGB[:1]),
    GradCase("adjust_brightness", lambda x: im.adjust_brightness(x, 0.1), RGB),
    GradCase("adjust_contrast", lambda x: im.adjust_contrast(x, 1.5), RGB),
    GradCase("adjust_gamma", lambda x: im.adjust_gamma(x, 2.2, 0.8), RGB, domain=(0.2, 1.0)),
    GradCase("adjust_saturation", lambda x: im.adjust_saturation(x, 0.6), RGB, make_args=_rgb),
    GradCase("adjust_hue", lambda x: im.adjust_hue(x, 0.3), RGB, make_args=_rgb),
    GradCase("per_image_standardization", im.per_image_standardization, RGB),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


FLOAT = {"gray": im.rgb_to_grayscale, "hsv": im.rgb_to_hsv, "yiq": im.rgb_to_yiq,
         "yuv": im.rgb_to_yuv, "hsv_back": im.hsv_to_rgb, "yiq_back": im.yiq_to_rgb,
         "yuv_back": im.yuv_to_rgb, "std": im.per_image_standardization,
         "sat": lambda x: im.adjust_saturation(x, 1.7),
         "sat_low": lambda x: im.adjust_saturation(x, 0.3),
         "hue": lambda x: im.adjust_hue(x, 0.2), "hue_neg": lambda x: im.adjust_hue(x, -0.45),
         "contrast": lambda x: im.adjust_contrast(x, 1.8),
         "gamma": lambda x: im.adjust_gamma(x, 2.2, 0.9),
         "bright": lambda x: im.adjust_brightness(x, -0.2)}
UINT8 = {"gray": im.rgb_to_grayscale, "std": im.per_image_standardization,
         "sat": lambda x: im.adjust_saturation(x, 1.7), "hue": lambda x: im.adjust_hue(x, 0.2),
         "contrast": lambda x: im.adjust_contrast(x, 1.8),
         "gamma": lambda x: im.adjust_gamma(x, 0.5),
         "bright": lambda x: im.adjust_brightness(x, 0.3),
         "to_float": lambda x: im.convert_image_dtype(x, tf.float32),
         "to_int16": lambda x: im.convert_image_dtype(x, tf.int16),
         "to_int32": lambda x: im.convert_image_dtype(x, tf.int32)}


@pytest.mark.parametrize("key", sorted(FLOAT))
def test_float_images_as_tf(key):
    got, want = FLOAT[key](DATA["colour/in"]), DATA[f"colour/{key}"]
    assert got.dtype == tf.as_dtype(want.dtype)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=2e-6)


@pytest.mark.parametrize("key", sorted(UINT8))
def test_uint8_images_as_tf(key):
    got, want = UINT8[key](DATA["colour_u8/in"]), DATA[f"colour_u8/{key}"]
    assert got.dtype == tf.as_dtype(want.dtype)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("key,src,dtype,saturate", [
    ("to_u8", "convert", tf.uint8, False), ("to_u8_sat", "convert", tf.uint8, True),
    ("to_i16_sat", "convert", tf.int16, True), ("to_u8", "convert_i32", tf.uint8, False),
    ("to_f32", "convert_i32", tf.float32, False), ("to_i16", "convert_i32", tf.int16, False)])
def test_convert_image_dtype_as_tf(key, src, dtype, saturate):
    got = im.convert_image_dtype(DATA[f"{src}/in"], dtype, saturate=saturate)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got.numpy(), DATA[f"{src}/{key}"])


def test_float64_stays_float64_and_round_trips():
    x = DATA["colour/in"].astype(np.float64)
    assert im.rgb_to_grayscale(x).dtype == tf.float64
    np.testing.assert_allclose(im.hsv_to_rgb(im.rgb_to_hsv(x)).numpy(), x, atol=1e-12)
    np.testing.assert_allclose(im.yuv_to_rgb(im.rgb_to_yuv(x)).numpy(), x, atol=1e-6)


def test_errors_name_the_op():
    with pytest.raises(InvalidArgumentError, match="rgb_to_grayscale: the last dimension must"):
        im.rgb_to_grayscale(np.zeros((2, 2, 4), np.float32))
    with pytest.raises(InvalidArgumentError, match="rgb_to_hsv: images must be float"):
        im.rgb_to_hsv(np.zeros((2, 2, 3), np.uint8))
    with pytest.raises(InvalidArgumentError, match="Gamma should be a non-negative"):
        im.adjust_gamma(np.zeros((2, 2, 3), np.float32), -1.0)
    with pytest.raises(InvalidArgumentError, match=r"adjust_hue: delta must be in \[-1, 1\]"):
        im.adjust_hue(np.zeros((2, 2, 3), np.float32), 1.5)
    with pytest.raises(AttributeError, match="dtype must be either floating point or integer"):
        im.convert_image_dtype(np.zeros(3, np.float32), tf.bool)
