"""tf.image metrics and filters (ops/image_metrics.py): psnr, ssim, ssim_multiscale,
total_variation, image_gradients, sobel_edges against TF 2.21's recorded outputs; gradients."""

import os

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.testing import GradCase

DATA = np.load(os.path.join(os.path.dirname(__file__), "..", "data", "tf_image.npz"))
im = tf.image


def _pair(rng, shapes):
    a = rng.uniform(0.1, 0.9, shapes[0])
    return [a, np.clip(a + rng.normal(0, 0.1, a.shape), 0, 1)]


GRAD_CASES = [
    GradCase("psnr", lambda a, b: im.psnr(a, b, 1.0), [((4, 4, 2), (4, 4, 2)),
                                                       ((2, 3, 3, 1), (2, 3, 3, 1))],
             make_args=_pair),
    GradCase("ssim", lambda a, b: im.ssim(a, b, 1.0, filter_size=3, filter_sigma=0.8),
             [((5, 6, 2), (5, 6, 2)), ((2, 4, 4, 1), (2, 4, 4, 1))], make_args=_pair),
    GradCase("ssim_map", lambda a, b: im.ssim(a, b, 2.0, filter_size=2, return_index_map=True),
             [((3, 4, 1), (3, 4, 1))], make_args=_pair),
    GradCase("ssim_multiscale",
             lambda a, b: im.ssim_multiscale(a, b, 1.0, (0.6, 0.4), filter_size=3),
             [((1, 7, 8, 1), (1, 7, 8, 1))], make_args=_pair),
    GradCase("total_variation", im.total_variation, [((3, 4, 2),), ((2, 3, 3, 1),)]),
    GradCase("image_gradients", lambda x: tf.stack(im.image_gradients(x)), [((2, 3, 4, 2),)]),
    GradCase("sobel_edges", im.sobel_edges, [((1, 4, 5, 2),)]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


A, B = DATA["metrics/a"], DATA["metrics/b"]


@pytest.mark.parametrize("key,f", [
    ("psnr", lambda: im.psnr(A, B, 1.0)),
    ("ssim", lambda: im.ssim(A, B, 1.0)),
    ("ssim_small", lambda: im.ssim(A, B, 1.0, filter_size=5, filter_sigma=0.8)),
    ("dy", lambda: im.image_gradients(A)[0]),
    ("dx", lambda: im.image_gradients(A)[1]),
    ("sobel", lambda: im.sobel_edges(A)),
])
def test_tf_numbers(key, f):
    got, want = f(), DATA[f"metrics/{key}"]
    assert got.dtype == tf.float32 and got.shape == want.shape
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)


def test_multiscale_and_total_variation_as_tf():
    got = im.ssim_multiscale(DATA["msssim/a"], DATA["msssim/b"], 1.0, filter_size=3,
                             filter_sigma=0.5)
    np.testing.assert_allclose(got.numpy(), DATA["msssim/out"], rtol=1e-5)
    np.testing.assert_allclose(im.total_variation(DATA["colour/in"]).numpy(),
                               DATA["colour/tv"], rtol=1e-6)


def test_uint8_images_and_identities():
    one, zero = np.ones((4, 4, 1), np.uint8), np.zeros((4, 4, 1), np.uint8)
    assert float(im.psnr(one, zero, 255)) == pytest.approx(48.130802, rel=1e-6)  # TF's number
    np.testing.assert_allclose(im.ssim(A, A, 1.0).numpy(), 1.0, rtol=1e-6)
    u8 = (A * 255).astype(np.uint8)
    np.testing.assert_allclose(im.ssim(u8, u8, 255).numpy(), 1.0, rtol=1e-6)


def test_errors_name_the_op():
    with pytest.raises(InvalidArgumentError, match="ssim: images of 4x4 are smaller than"):
        im.ssim(np.zeros((4, 4, 1), np.float32), np.zeros((4, 4, 1), np.float32), 1.0)
    with pytest.raises(InvalidArgumentError, match="psnr: the images must have rank >= 3"):
        im.psnr(np.zeros((4, 4, 1), np.float32), np.zeros((4, 5, 1), np.float32), 1.0)
    with pytest.raises(InvalidArgumentError, match="image_gradients: expected an image of rank 4"):
        im.image_gradients(np.zeros((4, 4, 1), np.float32))
