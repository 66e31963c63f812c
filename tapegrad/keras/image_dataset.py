"""``keras.utils.image_dataset_from_directory``: a labelled image Dataset from a folder of
class sub-folders, decoded with Pillow (the ``image`` extra) and resized with
``tf.image.resize``, as Keras 3 builds it."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..data import Dataset
from ..ops import image_resize as _resize
from .directory_index import (check_validation_split_arg, index_directory,
                              training_or_validation_split)

__all__ = ["image_dataset_from_directory"]

_EXTENSIONS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}
_MAX_PIXELS = 1 << 28  # refuse images that would decode to more pixels than this
_WHO = "image_dataset_from_directory"


def _pillow() -> Any:
    try:
        from PIL import Image  # reason: optional extra, only to decode image files
    except ImportError:
        raise ImportError('image_dataset_from_directory needs Pillow to decode images: '
                          'pip install "tapegrad[image]".') from None
    return Image


def _load(path: str, channels: int, size: tuple, interpolation: str) -> np.ndarray:
    image_module = _pillow()
    try:
        with image_module.open(path) as img:
            if img.width * img.height > _MAX_PIXELS:
                raise ValueError(f"{img.width}x{img.height} pixels is over the limit")
            mode = {1: "L", 3: "RGB", 4: "RGBA"}[channels]
            array = np.asarray(img.convert(mode), np.uint8)
    except (OSError, ValueError) as e:
        raise ValueError(f"image_dataset_from_directory: cannot decode {path!r}: {e}") \
            from None
    array = array.reshape(array.shape[:2] + (channels,))
    return _resize.resize(array, size, method=interpolation).numpy()


def image_dataset_from_directory(directory: str, labels: Any = "inferred",
                                 label_mode: str | None = "int", class_names: Any = None,
                                 color_mode: str = "rgb", batch_size: int | None = 32,
                                 image_size: tuple = (256, 256), shuffle: bool = True,
                                 seed: int | None = None, validation_split: float | None = None,
                                 subset: str | None = None, interpolation: str = "bilinear",
                                 follow_links: bool = False, crop_to_aspect_ratio: bool = False,
                                 pad_to_aspect_ratio: bool = False, data_format: Any = None,
                                 verbose: bool = True) -> Dataset:
    """A Dataset of ``(images, labels)`` batches from ``directory/<class>/<image>`` files:
    float32 images of ``image_size`` (``tf.image.resize`` with ``interpolation``), labels by
    ``label_mode`` (``"int"``, ``"categorical"``, ``"binary"`` or None for images only). The
    Dataset has ``class_names`` and ``file_paths``. The files, their order for a ``seed``
    and the validation split are Keras 3's (``directory_index.py``)."""
    if crop_to_aspect_ratio or pad_to_aspect_ratio:
        raise NotImplementedError("image_dataset_from_directory: crop_to_aspect_ratio and "
                                  "pad_to_aspect_ratio are not supported by tapegrad.")
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple)):
        raise ValueError(f"{_WHO}: `labels` should be 'inferred', None or a list/tuple of "
                         f"integer labels, one per image file; received: labels={labels!r}.")
    if color_mode not in _CHANNELS:
        raise ValueError(f"image_dataset_from_directory: color_mode must be one of "
                         f"{sorted(_CHANNELS)}, got {color_mode!r}.")
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError(f"image_dataset_from_directory: label_mode must be 'int', "
                         f"'categorical', 'binary' or None, got {label_mode!r}.")
    _pillow()
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    check_validation_split_arg(validation_split, subset if subset != "both" else None,
                               shuffle, seed, _WHO)
    if subset == "both":
        raise NotImplementedError(f"{_WHO}: subset='both' is not supported by tapegrad; "
                                  f"call it twice, with 'training' and 'validation'.")
    seed = np.random.randint(1e6) if seed is None else seed
    paths, targets, names = index_directory(directory, labels, _EXTENSIONS, class_names,
                                            shuffle, seed, follow_links, verbose, _WHO)
    if label_mode == "binary" and len(names) != 2:
        raise ValueError(f"image_dataset_from_directory: label_mode='binary' needs exactly 2 "
                         f"classes, found {len(names)}: {names}.")
    paths, targets = training_or_validation_split(paths, targets, validation_split, subset,
                                                  verbose)
    size = tuple(int(s) for s in image_size)
    images = np.stack([_load(p, _CHANNELS[color_mode], size, interpolation) for p in paths]) \
        if paths else np.zeros((0,) + size + (_CHANNELS[color_mode],), np.float32)
    y = np.asarray(targets if targets is not None else [], np.int32)
    if label_mode == "categorical":
        y = np.eye(len(names), dtype=np.float32)[y]
    elif label_mode == "binary":
        y = y.astype(np.float32).reshape(-1, 1)
    ds = Dataset.from_tensor_slices(images if label_mode is None else (images, y))
    if shuffle:
        ds = ds.shuffle(batch_size * 8 if batch_size else 1024, seed=seed)
    ds = ds if batch_size is None else ds.batch(batch_size)
    ds.class_names, ds.file_paths = names, paths
    return ds
