"""Record tf.image outputs for tests/data/tf_image.npz.

Run with a Python that has TensorFlow 2.21 installed (never a tapegrad dependency):
``python tools/record_tf_image.py``. Inputs are stored beside the outputs, so the tests read both
from the file. Keys are ``<case>/in`` … and ``<case>/out``.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

METHODS = ["bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian",
           "mitchellcubic"]
SIZES = [(3, 4), (9, 11), (5, 14)]
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "tf_image.npz")


def _resize(rec, rng):
    img = rng.random((2, 5, 7, 2)).astype(np.float32)
    rec["resize/in"] = img
    for m in METHODS:
        for aa in (False, True):
            for h, w in SIZES:
                rec[f"resize/{m}/{int(aa)}/{h}x{w}"] = tf.image.resize(img, (h, w), m,
                                                                        antialias=aa).numpy()
    rec["resize/aspect"] = tf.image.resize(img, (10, 10), preserve_aspect_ratio=True).numpy()
    u8 = (rng.random((4, 6, 3)) * 255).astype(np.uint8)
    rec["resize_u8/in"] = u8
    rec["resize_u8/bilinear"] = tf.image.resize(u8, (7, 5)).numpy()
    rec["resize_u8/nearest"] = tf.image.resize(u8, (7, 5), "nearest").numpy()
    rec["resize_with_pad"] = tf.image.resize_with_pad(img, 8, 8).numpy()
    rec["resize_with_pad_aa"] = tf.image.resize_with_pad(img, 4, 9, antialias=True).numpy()


def _colour(rec, rng):
    rgb = rng.random((3, 4, 3)).astype(np.float32)
    rec["colour/in"] = rgb
    im = tf.image
    for name, fn in [("gray", im.rgb_to_grayscale), ("hsv", im.rgb_to_hsv),
                     ("yiq", im.rgb_to_yiq), ("yuv", im.rgb_to_yuv),
                     ("hsv_back", im.hsv_to_rgb), ("yiq_back", im.yiq_to_rgb),
                     ("yuv_back", im.yuv_to_rgb), ("std", im.per_image_standardization),
                     ("sat", lambda x: im.adjust_saturation(x, 1.7)),
                     ("sat_low", lambda x: im.adjust_saturation(x, 0.3)),
                     ("hue", lambda x: im.adjust_hue(x, 0.2)),
                     ("hue_neg", lambda x: im.adjust_hue(x, -0.45)),
                     ("contrast", lambda x: im.adjust_contrast(x, 1.8)),
                     ("gamma", lambda x: im.adjust_gamma(x, 2.2, 0.9)),
                     ("bright", lambda x: im.adjust_brightness(x, -0.2)),
                     ("tv", lambda x: im.total_variation(tf.constant(x)))]:
        rec[f"colour/{name}"] = fn(rgb).numpy()
    u8 = (rng.random((3, 4, 3)) * 255).astype(np.uint8)
    rec["colour_u8/in"] = u8
    for name, fn in [("gray", im.rgb_to_grayscale), ("std", im.per_image_standardization),
                     ("sat", lambda x: im.adjust_saturation(x, 1.7)),
                     ("hue", lambda x: im.adjust_hue(x, 0.2)),
                     ("contrast", lambda x: im.adjust_contrast(x, 1.8)),
                     ("gamma", lambda x: im.adjust_gamma(x, 0.5)),
                     ("bright", lambda x: im.adjust_brightness(x, 0.3)),
                     ("to_float", lambda x: im.convert_image_dtype(x, tf.float32)),
                     ("to_int16", lambda x: im.convert_image_dtype(x, tf.int16)),
                     ("to_int32", lambda x: im.convert_image_dtype(x, tf.int32))]:
        rec[f"colour_u8/{name}"] = fn(u8).numpy()
    f = np.array([-0.2, 0.0, 0.3, 0.5, 0.999, 1.0, 1.3], np.float32)
    rec["convert/in"] = f
    rec["convert/to_u8"] = im.convert_image_dtype(f, tf.uint8).numpy()
    rec["convert/to_u8_sat"] = im.convert_image_dtype(f, tf.uint8, saturate=True).numpy()
    rec["convert/to_i16_sat"] = im.convert_image_dtype(f, tf.int16, saturate=True).numpy()
    i32 = np.array([-2**31, -5, 0, 7, 2**24 + 3, 2**31 - 1], np.int32)
    rec["convert_i32/in"] = i32
    rec["convert_i32/to_u8"] = im.convert_image_dtype(i32, tf.uint8).numpy()
    rec["convert_i32/to_f32"] = im.convert_image_dtype(i32, tf.float32).numpy()
    rec["convert_i32/to_i16"] = im.convert_image_dtype(i32, tf.int16).numpy()


def _metrics(rec, rng):
    a = rng.random((2, 16, 16, 3)).astype(np.float32)
    b = np.clip(a + 0.1 * rng.standard_normal(a.shape), 0, 1).astype(np.float32)
    rec["metrics/a"], rec["metrics/b"] = a, b
    im = tf.image
    rec["metrics/psnr"] = im.psnr(a, b, 1.0).numpy()
    rec["metrics/ssim"] = im.ssim(a, b, 1.0).numpy()
    rec["metrics/ssim_small"] = im.ssim(a, b, 1.0, filter_size=5, filter_sigma=0.8).numpy()
    dy, dx = im.image_gradients(tf.constant(a))
    rec["metrics/dy"], rec["metrics/dx"] = dy.numpy(), dx.numpy()
    rec["metrics/sobel"] = im.sobel_edges(tf.constant(a)).numpy()
    big_a = rng.random((1, 52, 52, 1)).astype(np.float32)
    big_b = np.clip(big_a + 0.05 * rng.standard_normal(big_a.shape), 0, 1).astype(np.float32)
    rec["msssim/a"], rec["msssim/b"] = big_a, big_b
    rec["msssim/out"] = im.ssim_multiscale(big_a, big_b, 1.0, filter_size=3,
                                            filter_sigma=0.5).numpy()


def _boxes(rec, rng):
    im = tf.image
    ctr = rng.random((12, 2)).astype(np.float32)
    size = rng.uniform(0.1, 0.4, (12, 2)).astype(np.float32)
    boxes = np.concatenate([ctr - size / 2, ctr + size / 2], 1)
    boxes[3] = boxes[3][[2, 3, 0, 1]]  # corners given in the other order
    scores = rng.random(12).astype(np.float32)
    rec["nms/boxes"], rec["nms/scores"] = boxes, scores
    rec["nms/out"] = im.non_max_suppression(boxes, scores, 6, 0.3).numpy()
    rec["nms/out_thr"] = im.non_max_suppression(boxes, scores, 10, 0.5, 0.4).numpy()
    sel, sc = im.non_max_suppression_with_scores(boxes, scores, 8, 0.5, soft_nms_sigma=0.5)
    rec["nms/soft_idx"], rec["nms/soft_scores"] = sel.numpy(), sc.numpy()
    idx, n = im.non_max_suppression_padded(boxes, scores, 8, 0.3, pad_to_max_output_size=True)
    rec["nms/padded_idx"], rec["nms/padded_n"] = idx.numpy(), n.numpy()
    cb = np.stack([boxes[:6].reshape(6, 1, 4), boxes[6:].reshape(6, 1, 4)])  # [2, 6, 1, 4]
    cs = rng.random((2, 6, 3)).astype(np.float32)
    rec["cnms/boxes"], rec["cnms/scores"] = cb, cs
    out = im.combined_non_max_suppression(cb, cs, 3, 5, 0.4, 0.1)
    for k, v in zip(["boxes", "scores", "classes", "valid"], out):
        rec[f"cnms/out_{k}"] = v.numpy()
    img = rng.random((2, 6, 7, 2)).astype(np.float32)
    cboxes = np.array([[0.1, 0.2, 0.8, 0.9], [0.5, 0.5, 0.2, 0.1], [-0.2, 0.0, 1.1, 0.5]],
                      np.float32)
    rec["car/img"], rec["car/boxes"] = img, cboxes
    rec["car/bilinear"] = im.crop_and_resize(img, cboxes, [0, 1, 1], (4, 5)).numpy()
    rec["car/nearest"] = im.crop_and_resize(img, cboxes, [1, 0, 1], (3, 3), "nearest",
                                            extrapolation_value=-1.0).numpy()
    rec["car/one"] = im.crop_and_resize(img, cboxes, [0, 1, 0], (1, 1)).numpy()
    pimg = rng.random((1, 7, 8, 2)).astype(np.float32)
    rec["patches/in"] = pimg
    rec["patches/valid"] = im.extract_patches(pimg, [1, 3, 2, 1], [1, 2, 3, 1], [1, 1, 1, 1],
                                              "VALID").numpy()
    rec["patches/same"] = im.extract_patches(pimg, [1, 2, 3, 1], [1, 3, 2, 1], [1, 2, 1, 1],
                                             "SAME").numpy()
    rec["glimpse"] = im.extract_glimpse(pimg, [3, 4], [[0.1, -0.2]]).numpy()


def _geometry(rec, rng):
    im = tf.image
    img = rng.random((7, 9, 2)).astype(np.float32)
    rec["geom/in"] = img
    rec["geom/central"] = im.central_crop(img, 0.5).numpy()
    rec["geom/central_b"] = im.central_crop(img[None], 0.33).numpy()
    rec["geom/crop_or_pad"] = im.resize_with_crop_or_pad(img, 5, 12).numpy()
    rec["geom/crop_or_pad2"] = im.resize_with_crop_or_pad(img, 10, 4).numpy()
    rec["geom/rot90_3"] = im.rot90(img, 3).numpy()
    img3 = rng.random((1, 6, 8, 3)).astype(np.float32)
    rec["draw/in"] = img3
    rec["draw/out"] = im.draw_bounding_boxes(
        img3, np.array([[[0.1, 0.1, 0.6, 0.8], [0.5, 0.0, 0.9, 0.4]]], np.float32),
        np.array([[1.0, 0.5, 0.0, 1.0], [0.0, 0.0, 1.0, 1.0]], np.float32)).numpy()


def _distorted(rec, rng):
    """Statistics of 400 draws of sample_distorted_bounding_box (TF's random streams are not
    reproduced, so the tests compare distributions): area fraction and aspect ratio."""
    tf.random.set_seed(7)
    stats = []
    for _ in range(400):
        _, size, _ = tf.image.sample_distorted_bounding_box(
            [40, 60, 3], [[[0.1, 0.1, 0.9, 0.9]]], min_object_covered=0.3,
            aspect_ratio_range=(0.75, 1.33), area_range=(0.1, 0.8))
        h, w = size.numpy()[:2]
        stats.append([h * w / 2400.0, w / h])
    rec["distorted/stats"] = np.asarray(stats, np.float32)


GRAD_OPS = {  # name: (function of the image, input shape); gradients of sum(f(x) * weights)
    "resize_bilinear": (lambda x: tf.image.resize(x, (7, 4)), (1, 5, 6, 2)),
    "resize_bicubic": (lambda x: tf.image.resize(x, (3, 9), "bicubic"), (1, 5, 6, 2)),
    "resize_nearest": (lambda x: tf.image.resize(x, (7, 4), "nearest"), (1, 5, 6, 2)),
    "resize_bilinear_aa": (lambda x: tf.image.resize(x, (3, 2), antialias=True), (1, 5, 6, 2)),
    "rgb_to_hsv": (tf.image.rgb_to_hsv, (4, 5, 3)),
    "grayscale": (tf.image.rgb_to_grayscale, (4, 5, 3)),
    "gamma": (lambda x: tf.image.adjust_gamma(x, 1.7, 0.8), (4, 5, 3)),
    "standardize": (tf.image.per_image_standardization, (4, 5, 3)),
    "psnr": (lambda x: tf.image.psnr(x, tf.ones_like(x) * 0.5, 1.0), (2, 4, 5, 3)),
    "ssim": (lambda x: tf.image.ssim(x, tf.ones_like(x) * 0.5, 1.0, filter_size=3),
             (2, 6, 5, 3)),
    "sobel": (tf.image.sobel_edges, (1, 4, 5, 2)),
    "total_variation": (tf.image.total_variation, (2, 4, 5, 3)),
    "patches": (lambda x: tf.image.extract_patches(x, [1, 2, 3, 1], [1, 2, 1, 1], [1, 1, 1, 1],
                                                   "SAME"), (1, 5, 6, 2)),
}


def _grads(rec, rng):
    """TF's gradients (float32) of ``sum(f(x) * weights)`` for the differentiable ops."""
    for name, (f, shape) in GRAD_OPS.items():
        x = tf.Variable(rng.uniform(0.1, 0.9, shape).astype(np.float32))
        weights = rng.standard_normal(f(x).shape).astype(np.float32)
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(f(x) * weights)
        rec[f"grad/{name}/x"], rec[f"grad/{name}/w"] = x.numpy(), weights
        rec[f"grad/{name}/dx"] = tape.gradient(y, x).numpy()
    img = tf.Variable(rng.random((2, 5, 6, 2)).astype(np.float32))
    boxes = tf.Variable([[0.1, 0.2, 0.7, 0.9], [0.3, 0.05, 0.8, 0.6]])
    weights = rng.standard_normal((2, 3, 4, 2)).astype(np.float32)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.image.crop_and_resize(img, boxes, [1, 0], (3, 4)) * weights)
    d_img, d_boxes = tape.gradient(y, [img, boxes])
    rec.update({"grad/car/img": img.numpy(), "grad/car/boxes": boxes.numpy(),
                "grad/car/w": weights, "grad/car/dimg": d_img.numpy(),
                "grad/car/dboxes": d_boxes.numpy()})


def main() -> None:
    rng = np.random.default_rng(13)
    rec: dict = {}
    for part in (_resize, _colour, _metrics, _boxes, _geometry, _distorted, _grads):
        part(rec, rng)
    rec["tensorflow"] = np.array(tf.__version__)
    np.savez_compressed(OUT, **rec)
    print(f"wrote {len(rec)} arrays to {OUT}")


if __name__ == "__main__":
    main()
