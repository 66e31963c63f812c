"""``keras.utils.text_dataset_from_directory`` against Keras 3 (recorded by
tools/record_keras_text_dataset.py on the folder the fixture describes)."""

import json
import os
import pathlib

import numpy as np
import pytest

import tapegrad as tf

FIXTURE = json.loads((pathlib.Path(__file__).parent.parent / "data" /
                      "keras_text_dataset.json").read_text(encoding="utf-8"))


@pytest.fixture
def folder(tmp_path):
    for rel, text in FIXTURE["files"].items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return str(tmp_path)


def _elements(ds):
    out = []
    for batch in ds:
        batch = batch if isinstance(batch, tuple) else (batch,)
        texts = [t.decode("utf-8") for t in batch[0].numpy().tolist()]
        rest = [np.asarray(b).tolist() for b in batch[1:]]
        out += [[t] + [r[i] for r in rest] for i, t in enumerate(texts)]
    return out


@pytest.mark.parametrize("case", FIXTURE["cases"], ids=lambda c: str(c["kwargs"]))
def test_matches_keras(folder, case):
    """The files, their order (or, after a seeded shuffle, each split's files), the labels in
    every label_mode, max_length, class_names and the number of batches."""
    got = tf.keras.utils.text_dataset_from_directory(folder, verbose=False, **case["kwargs"])
    parts = got if isinstance(got, list) else [got]
    assert parts[0].class_names == case["class_names"]
    ordered = not case["kwargs"]["shuffle"]
    for part, want, batches in zip(parts, case["parts"], case["batches"]):
        elements = _elements(part)
        assert (elements if ordered else sorted(elements)) == want
        assert len(list(part)) == batches


def test_texts_are_string_tensors_and_train_a_model(folder, capsys):
    ds = tf.keras.utils.text_dataset_from_directory(folder, batch_size=4, seed=1)
    assert "Found 8 files belonging to 3 classes." in capsys.readouterr().out
    texts, labels = next(iter(ds))
    assert texts.dtype == tf.string and labels.dtype == tf.int32
    lengths = ds.map(lambda t, y: (tf.strings.length(t), y))
    assert all(int(n) >= 0 for n, _ in lengths.unbatch())


@pytest.mark.parametrize("kwargs, message", [
    ({"label_mode": "sparse"}, "`label_mode` must be one of"),
    ({"labels": "folders"}, "`labels` should be 'inferred', None or a list"),
    ({"labels": [0, 1], "class_names": ["a"]}, "only pass `class_names` if labels='inferred'"),
    ({"labels": [0, 1]}, "expected the lengths of `labels` to match"),
    ({"validation_split": 0.2}, "if `subset` is set, `validation_split` must be set"),
    ({"validation_split": 0.2, "subset": "training"}, "you must provide a `seed`"),
    ({"validation_split": 1.5, "subset": "training", "seed": 1}, "must be between 0 and 1"),
    ({"label_mode": "binary"}, "there must be exactly 2 class_names"),
    ({"class_names": ["neg", "other"]}, "class_names passed did not match"),
    ({"max_length": -1}, "max_length must be a non-negative integer"),
    ({"format": "grain"}, "format must be 'tf'"),
])
def test_bad_arguments_are_refused(folder, kwargs, message):
    with pytest.raises(ValueError, match=message):
        tf.keras.utils.text_dataset_from_directory(folder, verbose=False, **kwargs)


def test_an_empty_folder_is_refused(tmp_path):
    os.makedirs(tmp_path / "a")
    with pytest.raises(ValueError, match="no text files found in directory"):
        tf.keras.utils.text_dataset_from_directory(str(tmp_path), verbose=False)
