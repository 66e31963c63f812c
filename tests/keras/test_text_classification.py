"""TF's "Basic text classification" tutorial on a small local corpus
(tests/data/text_reviews): ``program`` in tools/record_text_classification.py is the tutorial's
code and runs unchanged on tapegrad; the vocabulary, a vectorized review, the evaluation of
fixed weights and the exported model's predictions equal TF 2.21's
(tests/data/tf_text_classification.json), and training learns the corpus."""

import importlib.util
import json
import os

import numpy as np
import pytest

import tapegrad as tf

HERE = os.path.dirname(__file__)
_spec = importlib.util.spec_from_file_location(
    "record_text_classification",
    os.path.join(HERE, "..", "..", "tools", "record_text_classification.py"))
TUTORIAL = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(TUTORIAL)
with open(os.path.join(HERE, "..", "data", "tf_text_classification.json")) as _f:
    TF = json.load(_f)


@pytest.fixture(scope="module")
def untrained():
    return TUTORIAL.program(tf)


def test_vocabulary_and_vectors_as_tf(untrained):
    assert untrained["vocabulary"] == TF["vocabulary"]
    assert untrained["first_review"] == TF["first_review"]


def test_evaluation_and_predictions_as_tf(untrained):
    np.testing.assert_allclose(untrained["evaluate"], TF["evaluate"], rtol=1e-5)
    np.testing.assert_allclose(untrained["predict"], TF["predict"], rtol=1e-5)


def test_training_learns_the_corpus():
    tf.keras.utils.set_random_seed(0)
    out = TUTORIAL.program(tf, epochs=60, fixed_weights=False)
    history = out["history"]
    assert history["loss"][-1] < history["loss"][0] - 0.02
    assert history["binary_accuracy"][-1] > history["binary_accuracy"][0]
    assert history["val_binary_accuracy"][-1] >= 0.8
    good, okay, bad = np.ravel(out["predict"])
    assert good > bad
