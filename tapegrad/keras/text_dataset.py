"""``keras.utils.text_dataset_from_directory``: a Dataset of ``(texts, labels)`` from a folder
of class sub-folders of ``.txt`` files, as Keras 3 builds it (the files, their order for a
seed, the labels and the split are Keras's); texts are ``tf.string`` tensors of the files'
bytes.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from ..data import Dataset
from ..engine import dtypes as _dt
from ..engine.convert import constant
from .directory_index import (check_validation_split_arg, index_directory,
                              training_or_validation_split)

__all__ = ["text_dataset_from_directory"]

_WHO = "text_dataset_from_directory"
_MAX_BYTES = 1 << 30  # refuse a text file larger than this rather than read it


def _read(path: str, max_length: int | None) -> bytes:
    size = os.path.getsize(path)
    if size > _MAX_BYTES:
        raise ValueError(f"{_WHO}: {path!r} holds {size} bytes, over the {_MAX_BYTES}-byte "
                         f"limit for one text.")
    with open(path, "rb") as f:  # bytes, as tf.io.read_file; max_length counts bytes too
        return f.read() if max_length is None else f.read(max_length)


def _dataset(paths: list, labels: Any, label_mode: Any, num_classes: int,
             max_length: int | None, shuffle: bool, buffer: int, seed: Any) -> Dataset:
    texts = np.empty(len(paths), object)
    texts[:] = [_read(p, max_length) for p in paths]
    x = constant(texts, _dt.string)
    if label_mode is None:
        ds = Dataset.from_tensor_slices(x)
    else:
        y = np.asarray(labels, np.int32)
        if label_mode == "binary":
            y = y.astype(np.float32).reshape(-1, 1)
        elif label_mode == "categorical":
            y = np.eye(num_classes, dtype=np.float32)[y]
        ds = Dataset.from_tensor_slices((x, y))
    return ds.shuffle(buffer, seed=seed) if shuffle else ds


def _check(labels: Any, label_mode: Any, class_names: Any, max_length: Any) -> None:
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple)):
        raise ValueError(f"{_WHO}: `labels` should be 'inferred', None or a list/tuple of "
                         f"integer labels, one per text file; received: labels={labels!r}.")
    if labels not in ("inferred", None) and class_names:
        raise ValueError(f"{_WHO}: you can only pass `class_names` if labels='inferred'.")
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError(f"{_WHO}: `label_mode` must be one of 'int', 'categorical', "
                         f"'binary' or None; received: label_mode={label_mode!r}.")
    if max_length is not None and (not isinstance(max_length, (int, np.integer)) or
                                   max_length < 0):
        raise ValueError(f"{_WHO}: max_length must be a non-negative integer or None, got "
                         f"{max_length!r}.")


def text_dataset_from_directory(directory: str, labels: Any = "inferred",
                                label_mode: str | None = "int", class_names: Any = None,
                                batch_size: int | None = 32, max_length: int | None = None,
                                shuffle: bool = True, seed: int | None = None,
                                validation_split: float | None = None,
                                subset: str | None = None, follow_links: bool = False,
                                format: str = "tf", verbose: bool = True) -> Any:
    """``(texts, labels)`` batches from ``directory/<class>/<file>.txt``: each text the
    file's bytes (the first ``max_length`` bytes), labels by ``label_mode`` (``"int"``,
    ``"categorical"``, ``"binary"``, or None for texts only). With ``validation_split`` and
    ``subset="training"``/``"validation"`` one part, with ``subset="both"`` the pair. The
    Dataset has ``class_names``.

    >>> import os, tempfile
    >>> import tapegrad as tf
    >>> root = tempfile.mkdtemp()
    >>> for c, text in [("neg", b"bad"), ("pos", b"good")]:
    ...     os.makedirs(os.path.join(root, c))
    ...     with open(os.path.join(root, c, "a.txt"), "wb") as f:
    ...         _ = f.write(text)
    >>> ds = tf.keras.utils.text_dataset_from_directory(root, shuffle=False)
    Found 2 files belonging to 2 classes.
    >>> texts, labels = next(iter(ds))
    >>> texts.numpy().tolist(), labels.numpy().tolist(), ds.class_names
    ([b'bad', b'good'], [0, 1], ['neg', 'pos'])
    """
    _check(labels, label_mode, class_names, max_length)
    if format != "tf":
        raise ValueError(f"{_WHO}: format must be 'tf' (tapegrad builds a tapegrad.data "
                         f"Dataset; Keras's 'grain' format is not available), got {format!r}.")
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    check_validation_split_arg(validation_split, subset, shuffle, seed, _WHO)
    seed = np.random.randint(1e6) if seed is None else seed
    paths, labels, class_names = index_directory(
        directory, labels, (".txt",), class_names, shuffle, seed, follow_links, verbose, _WHO)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(f"{_WHO}: when passing label_mode='binary', there must be exactly 2 "
                         f"class_names. Received: class_names={class_names}.")
    buffer = batch_size * 8 if batch_size is not None else 1024
    num_classes = len(class_names) if class_names else 0
    parts = [("training", shuffle), ("validation", False)] if subset == "both" else \
        [(subset, shuffle)]
    out = []
    for part, mix in parts:
        p, y = training_or_validation_split(paths, labels, validation_split, part, verbose)
        if not p:
            kind = f"{part} " if subset == "both" else ""
            raise ValueError(f"{_WHO}: no {kind}text files found in directory {directory}. "
                             f"Allowed format: .txt")
        ds = _dataset(p, y, label_mode, num_classes, max_length, mix, buffer, seed)
        ds = ds if batch_size is None else ds.batch(batch_size)
        ds.class_names = class_names
        out.append(ds)
    return out if subset == "both" else out[0]
