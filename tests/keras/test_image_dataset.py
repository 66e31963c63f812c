"""``image_dataset_from_directory`` against Keras 3's result on a tiny folder of PNG files
(tools/record_keras_image_dataset.py)."""

import json
import os
import pathlib

import numpy as np
import pytest

import tapegrad as tf

pytest.importorskip("PIL")

DATA = pathlib.Path(__file__).parent.parent / "data"
FOLDER = str(DATA / "keras_images")
EXPECTED = json.loads((DATA / "keras_image_dataset.json").read_text())


def _rel(paths):
    return [os.path.relpath(p, FOLDER).replace(os.sep, "/") for p in paths]


def test_images_labels_and_order_match_keras():
    ds = tf.keras.utils.image_dataset_from_directory(
        FOLDER, label_mode="categorical", image_size=(4, 6), shuffle=False, batch_size=2,
        verbose=False)
    assert isinstance(ds, tf.data.Dataset)
    assert ds.class_names == EXPECTED["class_names"]
    assert _rel(ds.file_paths) == EXPECTED["file_paths"]
    batches = list(ds)
    assert [int(x.shape[0]) for x, _ in batches] == [2, 2, 1]
    images = np.concatenate([x.numpy() for x, _ in batches])
    labels = np.concatenate([y.numpy() for _, y in batches])
    np.testing.assert_allclose(images, EXPECTED["images"], rtol=1e-5, atol=1e-4)
    np.testing.assert_array_equal(labels, EXPECTED["labels"])


def test_grayscale_binary_nearest_match_keras():
    ds = tf.keras.utils.image_dataset_from_directory(
        FOLDER, label_mode="binary", color_mode="grayscale", image_size=(3, 3),
        interpolation="nearest", shuffle=False, verbose=False)
    x, y = next(iter(ds))
    np.testing.assert_allclose(x.numpy(), EXPECTED["gray"], atol=1.0)  # gray may round apart
    np.testing.assert_array_equal(y.numpy(), EXPECTED["gray_labels"])


def test_seeded_shuffle_and_validation_split_pick_keras_files():
    ds = tf.keras.utils.image_dataset_from_directory(
        FOLDER, shuffle=True, seed=5, validation_split=0.4, subset="training", verbose=False)
    assert _rel(ds.file_paths) == EXPECTED["shuffled_training_paths"]


def test_bad_arguments_and_missing_pillow(monkeypatch):
    with pytest.raises(ValueError, match="color_mode"):
        tf.keras.utils.image_dataset_from_directory(FOLDER, color_mode="cmyk")
    with pytest.raises(ValueError, match="if `subset` is set, `validation_split` must be set"):
        tf.keras.utils.image_dataset_from_directory(FOLDER, validation_split=0.2,
                                                    verbose=False)
    import builtins
    real_import = builtins.__import__

    def no_pil(name, *args, **kwargs):
        if name == "PIL" or name.startswith("PIL."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pil)
    with pytest.raises(ImportError, match=r'tapegrad\[image\]'):
        tf.keras.utils.image_dataset_from_directory(FOLDER)


def test_labels_none_or_a_list_as_keras():
    """``labels=None`` gives images only; a list labels the files in sorted walk order and
    names the classes after the sorted labels (Keras 3's index_directory, shared with
    text_dataset_from_directory)."""
    images = tf.keras.utils.image_dataset_from_directory(
        FOLDER, labels=None, image_size=(5, 7), shuffle=False, verbose=False)
    batch = next(iter(images))
    assert batch.shape == (5, 5, 7, 3) and images.class_names is None
    listed = tf.keras.utils.image_dataset_from_directory(
        FOLDER, labels=[3, 1, 3, 1, 1], image_size=(5, 7), shuffle=False, verbose=False)
    _, labels = next(iter(listed))
    assert labels.numpy().tolist() == [3, 1, 3, 1, 1] and listed.class_names == ["1", "3"]
