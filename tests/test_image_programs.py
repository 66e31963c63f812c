"""Programs from TF's tutorials that use tf.image, run unchanged after ``import tapegrad as tf``:
the data-augmentation tutorial's preprocessing, and style transfer's total-variation loss with
its gradient step."""

import numpy as np

import tapegrad as tf

IMG_SIZE = 16


def resize_and_rescale(image, label):
    image = tf.cast(image, tf.float32)
    image = tf.image.resize(image, [IMG_SIZE, IMG_SIZE])
    image = (image / 255.0)
    return image, label


def augment(image_label, seed):
    image, label = image_label
    image, label = resize_and_rescale(image, label)
    image = tf.image.resize_with_crop_or_pad(image, IMG_SIZE + 6, IMG_SIZE + 6)
    # Random crop back to the original size.
    image = tf.image.stateless_random_crop(image, size=[IMG_SIZE, IMG_SIZE, 3], seed=seed)
    # Random brightness.
    image = tf.image.stateless_random_brightness(image, max_delta=0.5, seed=seed)
    image = tf.clip_by_value(image, 0, 1)
    return image, label


def test_data_augmentation_tutorial():
    raw = (np.random.default_rng(0).random((24, 30, 3)) * 255).astype(np.uint8)
    image, label = augment((raw, 3), seed=(1, 2))
    again, _ = augment((raw, 3), seed=(1, 2))
    assert image.shape == (IMG_SIZE, IMG_SIZE, 3) and image.dtype == tf.float32 and label == 3
    np.testing.assert_array_equal(image.numpy(), again.numpy())
    assert 0.0 <= float(tf.reduce_min(image)) and float(tf.reduce_max(image)) <= 1.0
    flipped = tf.image.flip_left_right(raw)
    grayscaled = tf.image.rgb_to_grayscale(raw)
    saturated = tf.image.adjust_saturation(raw, 3)
    bright = tf.image.adjust_brightness(raw, 0.4)
    cropped = tf.image.central_crop(raw, central_fraction=0.5)
    rotated = tf.image.rot90(raw)
    assert [t.shape for t in (flipped, grayscaled, cropped, rotated)] == [
        (24, 30, 3), (24, 30, 1), (12, 16, 3), (30, 24, 3)]  # TF: 30 - 2 * int(7.5)
    assert saturated.dtype == tf.uint8 and bright.dtype == tf.uint8


def high_pass_x_y(image):
    x_var = image[:, :, 1:, :] - image[:, :, :-1, :]
    y_var = image[:, 1:, :, :] - image[:, :-1, :, :]
    return x_var, y_var


def total_variation_loss(image):
    x_deltas, y_deltas = high_pass_x_y(image)
    return tf.reduce_sum(tf.abs(x_deltas)) + tf.reduce_sum(tf.abs(y_deltas))


def clip_0_1(image):
    return tf.clip_by_value(image, clip_value_min=0.0, clip_value_max=1.0)


def test_style_transfer_total_variation_step():
    content = tf.image.convert_image_dtype(
        (np.random.default_rng(1).random((20, 24, 3)) * 255).astype(np.uint8), tf.float32)
    content = tf.image.resize(content, (12, 16))[tf.newaxis, :]
    assert abs(float(total_variation_loss(content)) -
               float(tf.image.total_variation(content)[0])) < 1e-3
    image = tf.Variable(content)
    opt_lr, weight = 0.02, 30.0
    before = float(tf.image.total_variation(image)[0])
    for _ in range(3):
        with tf.GradientTape() as tape:
            loss = weight * tf.image.total_variation(image) + tf.reduce_sum(
                (tf.image.resize(image, (6, 8)) - tf.image.resize(content, (6, 8))) ** 2)
        grad = tape.gradient(loss, image)
        image.assign(clip_0_1(image - opt_lr * grad / (tf.norm(grad) + 1e-8)))
    assert grad.shape == image.shape
    assert float(tf.image.total_variation(image)[0]) < before
