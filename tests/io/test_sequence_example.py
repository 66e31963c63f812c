"""SequenceExample messages and parse_single_sequence_example against a record TF 2.21 wrote
and TF's parse of it (tests/data/tf_sequence_example.json, from
tools/record_sequence_example.py)."""

import json
import os

import pytest

import tapegrad as tf

with open(os.path.join(os.path.dirname(__file__), "..", "data",
                       "tf_sequence_example.json")) as _f:
    TF = json.load(_f)
RAW = bytes.fromhex(TF["hex"])


def test_tf_written_sequence_example_decodes_and_reencodes_byte_for_byte():
    seq = tf.train.SequenceExample.FromString(RAW)
    assert seq.context.feature["id"].int64_list.value == [42]
    frames = seq.feature_lists.feature_list["frames"].feature
    assert [f.float_list.value for f in frames] == TF["frames"]
    assert seq.SerializeToString() == RAW


def test_parse_single_sequence_example_as_tf():
    ctx, steps = tf.io.parse_single_sequence_example(
        RAW, context_features={"id": tf.io.FixedLenFeature([], tf.int64),
                               "title": tf.io.VarLenFeature(tf.string)},
        sequence_features={"frames": tf.io.FixedLenSequenceFeature([2], tf.float32),
                           "words": tf.io.VarLenFeature(tf.string)})
    assert int(ctx["id"]) == TF["id"]
    assert isinstance(ctx["title"], tf.sparse.SparseTensor)
    assert [v.decode() for v in ctx["title"].values.numpy()] == TF["title"]
    assert ctx["title"].indices.numpy().tolist() == TF["title_indices"]
    assert steps["frames"].numpy().tolist() == TF["frames"]
    words = steps["words"]
    assert words.indices.numpy().tolist() == TF["words_indices"]
    assert [v.decode() for v in words.values.numpy()] == TF["words_values"]
    assert words.dense_shape.numpy().tolist() == TF["words_shape"]


def test_sequence_parse_errors_name_the_feature():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Feature list 'nope' is required"):
        tf.io.parse_single_sequence_example(
            RAW, sequence_features={"nope": tf.io.FixedLenSequenceFeature([], tf.int64)})
    with pytest.raises(tf.errors.InvalidArgumentError, match="Key: frames, Index: 0"):
        tf.io.parse_single_sequence_example(
            RAW, sequence_features={"frames": tf.io.FixedLenSequenceFeature([3], tf.float32)})
    _, steps = tf.io.parse_single_sequence_example(RAW, sequence_features={
        "nope": tf.io.FixedLenSequenceFeature([2], tf.int64, allow_missing=True)})
    assert steps["nope"].shape == (0, 2)
