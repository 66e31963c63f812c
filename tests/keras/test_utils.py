"""keras.utils helpers against outputs recorded with Keras 3 (tools/record_keras_utils.py)."""

import json
import pathlib
import random

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.keras import utils

FIXTURE = json.loads((pathlib.Path(__file__).parent.parent / "data" /
                      "keras_utils.json").read_text())


def test_to_categorical_matches_keras():
    case = FIXTURE["to_categorical"]
    got = utils.to_categorical(case["labels"])
    assert got.dtype == np.float64 and got.tolist() == case["result"]
    assert utils.to_categorical([1, 0], num_classes=4).tolist() == case["with_classes"]
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 2\)"):
        utils.to_categorical([0, 3], num_classes=2)


@pytest.mark.parametrize("i", range(len(FIXTURE["pad_sequences"]["cases"])))
def test_pad_sequences_matches_keras(i):
    case = FIXTURE["pad_sequences"]["cases"][i]
    got = utils.pad_sequences(FIXTURE["pad_sequences"]["sequences"], **case["kwargs"])
    assert got.dtype == np.int32 and got.tolist() == case["result"]


@pytest.mark.parametrize("i", range(len(FIXTURE["normalize"]["cases"])))
def test_normalize_matches_keras(i):
    case = FIXTURE["normalize"]["cases"][i]
    got = utils.normalize(np.array(FIXTURE["normalize"]["x"]), **case["kwargs"])
    np.testing.assert_allclose(got, case["result"], rtol=1e-12)


def test_set_random_seed_seeds_python_numpy_and_tf():
    utils.set_random_seed(7)
    first = (random.random(), np.random.rand(), float(tf.random.uniform(()).numpy()))
    utils.set_random_seed(7)
    assert (random.random(), np.random.rand(), float(tf.random.uniform(()).numpy())) == first
    assert tf.keras.utils.set_random_seed is utils.set_random_seed
