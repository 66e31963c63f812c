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


@pytest.mark.parametrize("i", range(len(FIXTURE["timeseries"]["cases"])))
def test_timeseries_dataset_from_array_matches_keras(i):
    """The windows and targets Keras 3 makes (strides, sampling rate, start/end, no
    batching); shuffled, the same windows (the order within the local shuffle differs)."""
    case = FIXTURE["timeseries"]["cases"][i]
    data = np.array(FIXTURE["timeseries"]["data"], np.float32)
    kw = case["kwargs"]
    ds = tf.keras.utils.timeseries_dataset_from_array(data, np.arange(20) * 10, **kw)
    assert isinstance(ds, tf.data.Dataset)
    xs, ys = [], []
    for x, y in ds:
        xs.extend(x.numpy().reshape(-1, kw["sequence_length"], 2).tolist())
        ys.extend(y.numpy().reshape(-1).tolist())
    if kw.get("shuffle"):
        assert sorted(ys) == sorted(case["y"])
        assert sorted(map(str, xs)) == sorted(map(str, case["x"]))
    else:
        assert ys == case["y"] and xs == case["x"]


def test_timeseries_dataset_refuses_bad_arguments():
    with pytest.raises(ValueError, match="sampling_rate must be > 0"):
        tf.keras.utils.timeseries_dataset_from_array(np.arange(5), None, 2, sampling_rate=0)
    with pytest.raises(ValueError, match="end_index must be > start_index"):
        tf.keras.utils.timeseries_dataset_from_array(np.arange(5), None, 2, start_index=3,
                                                     end_index=2)


@pytest.mark.parametrize("i", range(len(FIXTURE["split_dataset"]["cases"])))
def test_split_dataset_matches_keras(i):
    """The same two parts as Keras 3, also shuffled with a seed (the same Python shuffle)."""
    case = FIXTURE["split_dataset"]["cases"][i]
    left, right = tf.keras.utils.split_dataset((np.arange(12), np.arange(12) * 3),
                                               **case["kwargs"])
    assert [[int(a), int(b)] for a, b in left] == case["left"]
    assert [[int(a), int(b)] for a, b in right] == case["right"]


def test_split_dataset_of_a_dataset_and_bad_sizes():
    left, right = tf.keras.utils.split_dataset(tf.data.Dataset.range(5), right_size=0.4)
    assert [int(v) for v in left] == [0, 1, 2] and [int(v) for v in right] == [3, 4]
    with pytest.raises(ValueError, match="left_size must be"):
        tf.keras.utils.split_dataset(np.arange(4), left_size=1.5)
    with pytest.raises(ValueError, match="give left_size or right_size"):
        tf.keras.utils.split_dataset(np.arange(4))
