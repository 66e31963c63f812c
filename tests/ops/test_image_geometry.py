"""tf.image geometry (ops/image_geometry.py): flips, rot90, crops and pads against NumPy and
TF 2.21's recorded outputs, their gradients, and their errors."""

import os

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.testing import GradCase

DATA = np.load(os.path.join(os.path.dirname(__file__), "..", "data", "tf_image.npz"))
IMAGES = [((4, 5, 2),), ((2, 3, 4, 1),)]
im = tf.image

GRAD_CASES = [
    GradCase("flip_left_right", im.flip_left_right, IMAGES),
    GradCase("flip_up_down", im.flip_up_down, IMAGES),
    GradCase("transpose_image", im.transpose, IMAGES),
    GradCase("rot90_1", im.rot90, IMAGES),
    GradCase("rot90_2", lambda x: im.rot90(x, 2), IMAGES[:1]),
    GradCase("rot90_3", lambda x: im.rot90(x, k=3), IMAGES[1:]),
    GradCase("central_crop", lambda x: im.central_crop(x, 0.5), IMAGES),
    GradCase("crop_to_bounding_box", lambda x: im.crop_to_bounding_box(x, 1, 2, 2, 2), IMAGES),
    GradCase("pad_to_bounding_box", lambda x: im.pad_to_bounding_box(x, 1, 0, 6, 7), IMAGES),
    GradCase("resize_with_crop_or_pad", lambda x: im.resize_with_crop_or_pad(x, 2, 7), IMAGES),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


X = DATA["geom/in"]


def test_flips_and_rotations_match_numpy():
    np.testing.assert_array_equal(im.flip_left_right(X).numpy(), X[:, ::-1])
    np.testing.assert_array_equal(im.flip_up_down(X[None]).numpy(), X[None, ::-1])
    np.testing.assert_array_equal(im.transpose(X).numpy(), X.transpose(1, 0, 2))
    for k in range(-1, 6):
        np.testing.assert_array_equal(im.rot90(X, k).numpy(), np.rot90(X, k, axes=(0, 1)))
        np.testing.assert_array_equal(im.rot90(X[None], tf.constant(k)).numpy()[0],
                                      np.rot90(X, k, axes=(0, 1)))


@pytest.mark.parametrize("key,f", [
    ("central", lambda x: im.central_crop(x, 0.5)),
    ("central_b", lambda x: im.central_crop(x[None], 0.33)),
    ("crop_or_pad", lambda x: im.resize_with_crop_or_pad(x, 5, 12)),
    ("crop_or_pad2", lambda x: im.resize_with_crop_or_pad(x, 10, 4)),
    ("rot90_3", lambda x: im.rot90(x, 3)),
])
def test_tf_numbers(key, f):
    np.testing.assert_array_equal(f(X).numpy(), DATA[f"geom/{key}"])


def test_crop_and_pad_windows():
    got = im.crop_to_bounding_box(X, 2, 3, 4, 5).numpy()
    np.testing.assert_array_equal(got, X[2:6, 3:8])
    padded = im.pad_to_bounding_box(X, 1, 2, 9, 12).numpy()
    assert padded.shape == (9, 12, 2) and padded.sum() == pytest.approx(X.sum(), rel=1e-6)
    np.testing.assert_array_equal(padded[1:8, 2:11], X)
    assert im.central_crop(X, 1.0).shape == X.shape


def test_errors_name_the_op():
    with pytest.raises(InvalidArgumentError, match="crop_to_bounding_box: width must be"):
        im.crop_to_bounding_box(X, 0, 5, 2, 5)
    with pytest.raises(InvalidArgumentError, match="pad_to_bounding_box: height must be"):
        im.pad_to_bounding_box(X, 1, 0, 7, 9)
    with pytest.raises(ValueError, match=r"central_fraction must be within \(0, 1\]"):
        im.central_crop(X, 0.0)
    with pytest.raises(InvalidArgumentError, match="flip_left_right: expected an image of rank"):
        im.flip_left_right(X[0])
    with pytest.raises(InvalidArgumentError, match="rot90: k must be an integer"):
        im.rot90(X, "one")
