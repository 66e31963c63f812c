"""tf.image boxes and patches (ops/image_boxes.py): the NMS family, crop_and_resize and
extract_patches against TF 2.21's recorded outputs; gradients of crop_and_resize (image and
boxes) and extract_patches."""

import os

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.testing import GradCase

DATA = np.load(os.path.join(os.path.dirname(__file__), "..", "data", "tf_image.npz"))
im = tf.image


def _image_and_boxes(rng, shapes):
    lo = rng.uniform(0.05, 0.4, (shapes[1][0], 2))
    return [rng.uniform(-1, 1, shapes[0]), np.concatenate([lo, lo + rng.uniform(0.3, 0.55,
                                                                              lo.shape)], 1)]


GRAD_CASES = [
    GradCase("crop_and_resize", lambda x, b: im.crop_and_resize(x, b, [1, 0], [3, 4]),
             [((2, 5, 6, 2), (2, 4))], make_args=_image_and_boxes),
    GradCase("crop_and_resize_nearest",
             lambda x: im.crop_and_resize(x, [[0.1, 0.2, 0.7, 0.9]], [0], [3, 2], "nearest"),
             [((1, 4, 5, 1),)]),
    GradCase("extract_patches",
             lambda x: im.extract_patches(x, [1, 2, 3, 1], [1, 2, 1, 1], [1, 1, 2, 1], "SAME"),
             [((1, 5, 6, 2),)]),
    GradCase("extract_glimpse", lambda x: im.extract_glimpse(x, [2, 3], [[0.1, 0.2], [-0.3, 0]]),
             [((2, 5, 6, 1),)]),
    GradCase("draw_bounding_boxes",
             lambda x: im.draw_bounding_boxes(x, [[[0.2, 0.1, 0.7, 0.9]]], [[1.0, 0.0, 0.5]]),
             [((1, 5, 6, 3),)]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


BOXES, SCORES = DATA["nms/boxes"], DATA["nms/scores"]


def test_nms_family_as_tf():
    got = im.non_max_suppression(BOXES, SCORES, 6, 0.3)
    assert got.dtype == tf.int32
    np.testing.assert_array_equal(got.numpy(), DATA["nms/out"])
    np.testing.assert_array_equal(im.non_max_suppression(BOXES, SCORES, 10, 0.5, 0.4).numpy(),
                                  DATA["nms/out_thr"])
    idx, sc = im.non_max_suppression_with_scores(BOXES, SCORES, 8, 0.5, soft_nms_sigma=0.5)
    np.testing.assert_array_equal(idx.numpy(), DATA["nms/soft_idx"])
    np.testing.assert_allclose(sc.numpy(), DATA["nms/soft_scores"], rtol=1e-6)
    idx, n = im.non_max_suppression_padded(BOXES, SCORES, 8, 0.3, pad_to_max_output_size=True)
    np.testing.assert_array_equal(idx.numpy(), DATA["nms/padded_idx"])
    assert int(n) == int(DATA["nms/padded_n"])
    batched, counts = im.non_max_suppression_padded(BOXES[None], SCORES[None], 8, 0.3)
    np.testing.assert_array_equal(batched.numpy()[0], DATA["nms/padded_idx"])
    assert counts.numpy().tolist() == [int(DATA["nms/padded_n"])]


def test_nms_from_overlaps_matches_nms_from_boxes():
    b = BOXES.copy()
    y0, x0 = np.minimum(b[:, 0], b[:, 2]), np.minimum(b[:, 1], b[:, 3])
    y1, x1 = np.maximum(b[:, 0], b[:, 2]), np.maximum(b[:, 1], b[:, 3])
    inter = (np.clip(np.minimum(y1[:, None], y1) - np.maximum(y0[:, None], y0), 0, None) *
             np.clip(np.minimum(x1[:, None], x1) - np.maximum(x0[:, None], x0), 0, None))
    area = (y1 - y0) * (x1 - x0)
    iou = inter / (area[:, None] + area - inter)
    got = im.non_max_suppression_overlaps(iou, SCORES, 6, 0.3)
    np.testing.assert_array_equal(got.numpy(), DATA["nms/out"])


def test_combined_nms_as_tf():
    out = im.combined_non_max_suppression(DATA["cnms/boxes"], DATA["cnms/scores"], 3, 5, 0.4,
                                          0.1)
    for got, key in zip(out, ["boxes", "scores", "classes", "valid"]):
        np.testing.assert_allclose(got.numpy(), DATA[f"cnms/out_{key}"], rtol=1e-6)


@pytest.mark.parametrize("key,args", [
    ("bilinear", ([0, 1, 1], (4, 5))),
    ("nearest", ([1, 0, 1], (3, 3), "nearest", -1.0)),
    ("one", ([0, 1, 0], (1, 1))),
])
def test_crop_and_resize_as_tf(key, args):
    got = im.crop_and_resize(DATA["car/img"], DATA["car/boxes"], *args)
    assert got.dtype == tf.float32
    np.testing.assert_allclose(got.numpy(), DATA[f"car/{key}"], rtol=1e-5, atol=1e-6)


def test_extract_patches_as_tf():
    x = DATA["patches/in"]
    np.testing.assert_array_equal(
        im.extract_patches(x, [1, 3, 2, 1], [1, 2, 3, 1], [1, 1, 1, 1], "VALID").numpy(),
        DATA["patches/valid"])
    np.testing.assert_array_equal(
        im.extract_patches(x, [1, 2, 3, 1], [1, 3, 2, 1], [1, 2, 1, 1], "SAME").numpy(),
        DATA["patches/same"])


def test_glimpse_and_drawing_as_tf():
    got = im.extract_glimpse(DATA["patches/in"], [3, 4], [[0.1, -0.2]])
    np.testing.assert_array_equal(got.numpy(), DATA["glimpse"])
    boxes = np.array([[[0.1, 0.1, 0.6, 0.8], [0.5, 0.0, 0.9, 0.4]]], np.float32)
    colours = np.array([[1.0, 0.5, 0.0, 1.0], [0.0, 0.0, 1.0, 1.0]], np.float32)
    np.testing.assert_array_equal(im.draw_bounding_boxes(DATA["draw/in"], boxes,
                                                         colours).numpy(), DATA["draw/out"])


def test_glimpse_outside_the_image_is_filled():
    x = np.arange(16.0, dtype=np.float32).reshape(1, 4, 4, 1)
    got = im.extract_glimpse(x, [2, 2], [[-1.0, -1.0]], noise="zero").numpy()[0, ..., 0]
    np.testing.assert_array_equal(got, [[0.0, 0.0], [0.0, 0.0]])
    got = im.extract_glimpse(x, [2, 2], [[0.0, 0.0]], centered=False, normalized=False,
                             noise="zero").numpy()[0, ..., 0]
    np.testing.assert_array_equal(got, [[0.0, 1.0], [4.0, 5.0]])
    noisy = im.extract_glimpse(x, [4, 4], [[-0.5, 0.0]]).numpy()
    assert 0.0 <= noisy.min() and noisy.max() <= 15.0


def test_crop_and_resize_box_gradient_as_tf():
    # TF 2.21's gradients w.r.t. the box of crop_and_resize(arange(16) as 4x4, box, [0], size)
    img = tf.reshape(tf.range(16.0), [1, 4, 4, 1])
    box = tf.Variable([[0.1, 0.2, 0.6, 0.9]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(im.crop_and_resize(img, box, [0], [2, 2]))
    np.testing.assert_allclose(tape.gradient(y, box).numpy(), [[24.0, 6.0, 24.0, 6.0]],
                               rtol=1e-5)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(im.crop_and_resize(img, box, [0], [3, 2]) *
                          tf.reshape(tf.range(6.0), [1, 3, 2, 1]))
    np.testing.assert_allclose(tape.gradient(y, box).numpy(), [[42.0, 18.0, 138.0, 27.0]],
                               rtol=1e-5)


def test_errors_name_the_op():
    with pytest.raises(InvalidArgumentError, match="non_max_suppression: boxes must be"):
        im.non_max_suppression(BOXES[:, :3], SCORES, 3)
    with pytest.raises(InvalidArgumentError, match=r"crop_and_resize: box_indices \[2\]"):
        im.crop_and_resize(DATA["car/img"], [[0, 0, 1, 1]], [2], [2, 2])
    with pytest.raises(InvalidArgumentError, match="extract_patches: padding must be"):
        im.extract_patches(DATA["patches/in"], [1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "FULL")
