"""tf.image random augmentations (ops/image_random.py): tapegrad's seed rules for the stateful
ops, fixed results for the stateless ones, the drawn ranges and frequencies (distorted boxes
against the distribution of 400 TF 2.21 draws), gradients w.r.t. the image, TF's errors."""

import os

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.testing import GradCase

DATA = np.load(os.path.join(os.path.dirname(__file__), "..", "data", "tf_image.npz"))
im = tf.image
IMAGES = [((3, 4, 3),), ((2, 2, 3, 3),)]


def _seeded(f):
    """``f`` with the global seed reset first, so every evaluation draws the same numbers."""
    def run(x):
        tf.random.set_seed(5)
        return f(x)
    return run


def _rgb(rng, shapes):
    base = rng.permutation(np.array([0.15, 0.5, 0.85] * (int(np.prod(shapes[0])) // 3)))
    return [(base + rng.uniform(-0.05, 0.05, base.shape)).reshape(shapes[0])]


GRAD_CASES = [
    GradCase("random_flip_left_right", _seeded(lambda x: im.random_flip_left_right(x, 1)),
             IMAGES),
    GradCase("random_flip_up_down", _seeded(lambda x: im.random_flip_up_down(x, seed=2)),
             IMAGES),
    GradCase("random_brightness", _seeded(lambda x: im.random_brightness(x, 0.2, 3)), IMAGES),
    GradCase("random_contrast", _seeded(lambda x: im.random_contrast(x, 0.5, 1.5)), IMAGES),
    GradCase("random_saturation", _seeded(lambda x: im.random_saturation(x, 0.4, 0.8)),
             IMAGES[:1], make_args=_rgb),
    GradCase("random_hue", _seeded(lambda x: im.random_hue(x, 0.1)), IMAGES[:1], make_args=_rgb),
    GradCase("random_crop", _seeded(lambda x: im.random_crop(x, [2, 2, 3], seed=4)),
             IMAGES[:1]),
    GradCase("stateless_random_flip_left_right",
             lambda x: im.stateless_random_flip_left_right(x, (1, 2)), IMAGES),
    GradCase("stateless_random_flip_up_down",
             lambda x: im.stateless_random_flip_up_down(x, (3, 2)), IMAGES),
    GradCase("stateless_random_brightness",
             lambda x: im.stateless_random_brightness(x, 0.3, (1, 2)), IMAGES[:1]),
    GradCase("stateless_random_contrast",
             lambda x: im.stateless_random_contrast(x, 0.2, 0.9, (1, 2)), IMAGES[:1]),
    GradCase("stateless_random_saturation",
             lambda x: im.stateless_random_saturation(x, 0.2, 0.9, (1, 2)), IMAGES[:1],
             make_args=_rgb),
    GradCase("stateless_random_hue", lambda x: im.stateless_random_hue(x, 0.2, (7, 2)),
             IMAGES[:1], make_args=_rgb),
    GradCase("stateless_random_crop",
             lambda x: im.stateless_random_crop(x, [2, 3, 2], (1, 2)), IMAGES[:1]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


X = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4, 1)


def test_flips_are_per_image_and_fair():
    tf.random.set_seed(0)
    flipped = []
    for _ in range(400):
        y = im.random_flip_left_right(X).numpy()
        for b in range(2):
            assert (y[b] == X[b]).all() or (y[b] == X[b, :, ::-1]).all()
            flipped.append(bool((y[b] != X[b]).any()))
    assert 0.4 < np.mean(flipped) < 0.6


def test_stateful_ops_follow_the_seed_rules():
    tf.random.set_seed(3)
    a = [im.random_brightness(X, 0.5, seed=1).numpy() for _ in range(2)]
    tf.random.set_seed(3)
    b = [im.random_brightness(X, 0.5, seed=1).numpy() for _ in range(2)]
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not (a[0] == a[1]).all()  # successive calls differ, as TF's A1, A2


def test_drawn_ranges():
    tf.random.set_seed(1)
    deltas = [float(im.random_brightness(np.zeros((1, 1, 1), np.float32), 0.25)[0, 0, 0])
              for _ in range(300)]
    assert -0.25 <= min(deltas) and max(deltas) < 0.25 and abs(np.mean(deltas)) < 0.05
    crops = {tuple(im.random_crop(X[0], [2, 2, 1]).numpy().ravel()) for _ in range(200)}
    assert len(crops) == 2 * 3  # every offset of a 2x2 window in a 3x4 image appears
    out = im.random_contrast(X, 0.9, 1.1)
    assert out.dtype == tf.float32 and out.shape == X.shape


def test_stateless_ops_repeat_for_a_seed_and_vary_across_seeds():
    f = im.stateless_random_crop
    np.testing.assert_array_equal(f(X, [1, 2, 2, 1], (4, 2)).numpy(),
                                  f(X, [1, 2, 2, 1], tf.constant([4, 2])).numpy())
    seen = {tuple(f(X, [1, 2, 2, 1], (s, 0)).numpy().ravel()) for s in range(40)}
    assert len(seen) > 5
    u8 = (X * 10).astype(np.uint8)
    y = im.stateless_random_brightness(u8, 0.1, (1, 1))
    assert y.dtype == tf.uint8


def test_errors_as_tf():
    with pytest.raises(ValueError, match="max_delta must be non-negative"):
        im.random_brightness(X, -0.1)
    with pytest.raises(ValueError, match="max_delta must be <= 0.5"):
        im.random_hue(X, 0.6)
    with pytest.raises(ValueError, match="upper must be > lower"):
        im.random_contrast(X, 1.0, 0.5)
    with pytest.raises(ValueError, match="lower must be non-negative"):
        im.random_saturation(X, -1.0, 0.5)
    with pytest.raises(InvalidArgumentError, match="random_crop: need 0 <= size <= value.shape"):
        im.random_crop(X, [3, 3, 3, 1])
    with pytest.raises(InvalidArgumentError, match="seed must be a shape"):
        im.stateless_random_flip_up_down(X, 3)


def test_distorted_boxes_are_distributed_as_tf():
    want = DATA["distorted/stats"]
    tf.random.set_seed(7)
    got = []
    for _ in range(len(want)):
        begin, size, box = im.sample_distorted_bounding_box(
            [40, 60, 3], [[[0.1, 0.1, 0.9, 0.9]]], min_object_covered=0.3,
            aspect_ratio_range=(0.75, 1.33), area_range=(0.1, 0.8))
        (y, x, z), (h, w, c) = begin.numpy(), size.numpy()
        assert z == 0 and c == -1 and 0 <= y <= 40 - h and 0 <= x <= 60 - w
        np.testing.assert_allclose(box.numpy(), [[[y / 40, x / 60, (y + h) / 40, (x + w) / 60]]],
                                   rtol=1e-6)
        got.append([h * w / 2400.0, w / h])
    got = np.asarray(got)
    spread = np.sqrt(got.var(0) / len(got) + want.var(0) / len(want))
    assert (np.abs(got.mean(0) - want.mean(0)) < 4 * spread).all()
    np.testing.assert_allclose(got.std(0), want.std(0), rtol=0.2)
    assert 0.1 <= got[:, 0].min() and got[:, 0].max() <= 0.8 + 1e-6


def test_stateless_distorted_box_and_errors():
    a = im.stateless_sample_distorted_bounding_box([30, 20, 1], np.zeros([1, 0, 4]), (3, 4),
                                                   use_image_if_no_bounding_boxes=True)
    b = im.stateless_sample_distorted_bounding_box([30, 20, 1], np.zeros([1, 0, 4]), (3, 4),
                                                   use_image_if_no_bounding_boxes=True)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u.numpy(), v.numpy())
    with pytest.raises(InvalidArgumentError, match="No bounding boxes provided as input"):
        im.sample_distorted_bounding_box([30, 20, 1], np.zeros([1, 0, 4]))
    with pytest.raises(InvalidArgumentError, match="image_size must be"):
        im.sample_distorted_bounding_box([30, 20], [[[0, 0, 1, 1]]])
