"""tf.image gradients against TF 2.21's own (float32, recorded by tools/record_tf_image.py):
the gradient of ``sum(f(x) * weights)`` for the differentiable image functions, and of
crop_and_resize w.r.t. the image and the boxes. The finite-difference checks live beside each
family; these pin the same gradients to TF's numbers."""

import os

import numpy as np
import pytest

import tapegrad as tf

DATA = np.load(os.path.join(os.path.dirname(__file__), "..", "data", "tf_image.npz"))
im = tf.image

OPS = {
    "resize_bilinear": lambda x: im.resize(x, (7, 4)),
    "resize_bicubic": lambda x: im.resize(x, (3, 9), "bicubic"),
    "resize_nearest": lambda x: im.resize(x, (7, 4), "nearest"),
    "resize_bilinear_aa": lambda x: im.resize(x, (3, 2), antialias=True),
    "rgb_to_hsv": im.rgb_to_hsv,
    "grayscale": im.rgb_to_grayscale,
    "gamma": lambda x: im.adjust_gamma(x, 1.7, 0.8),
    "standardize": im.per_image_standardization,
    "psnr": lambda x: im.psnr(x, tf.ones_like(x) * 0.5, 1.0),
    "ssim": lambda x: im.ssim(x, tf.ones_like(x) * 0.5, 1.0, filter_size=3),
    "sobel": im.sobel_edges,
    "total_variation": im.total_variation,
    "patches": lambda x: im.extract_patches(x, [1, 2, 3, 1], [1, 2, 1, 1], [1, 1, 1, 1], "SAME"),
}


@pytest.mark.parametrize("name", sorted(OPS))
def test_gradient_as_tf(name):
    x = tf.Variable(DATA[f"grad/{name}/x"])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(OPS[name](x) * DATA[f"grad/{name}/w"])
    dx = tape.gradient(y, x)
    assert dx.dtype == tf.float32
    want = DATA[f"grad/{name}/dx"]
    np.testing.assert_allclose(dx.numpy(), want, rtol=1e-4, atol=1e-5 * np.abs(want).max())


def test_crop_and_resize_gradients_as_tf():
    img, boxes = tf.Variable(DATA["grad/car/img"]), tf.Variable(DATA["grad/car/boxes"])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(im.crop_and_resize(img, boxes, [1, 0], (3, 4)) * DATA["grad/car/w"])
    d_img, d_boxes = tape.gradient(y, [img, boxes])
    np.testing.assert_allclose(d_img.numpy(), DATA["grad/car/dimg"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(d_boxes.numpy(), DATA["grad/car/dboxes"], rtol=1e-4, atol=1e-5)
