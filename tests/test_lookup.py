"""tf.lookup tables (lookup/tables.py), tf.strings.to_hash_bucket_fast/strong
(ops/strings_hash.py) and the Keras text layers (StringLookup, IntegerLookup, Hashing,
TextVectorization): values against TF 2.21 and Keras 3 (tests/data/tf_lookup.json, from
tools/record_lookup.py), and TF's refusals."""

import json
import os

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import FailedPreconditionError, InvalidArgumentError

with open(os.path.join(os.path.dirname(__file__), "data", "tf_lookup.json")) as _f:
    DATA = json.load(_f)

CORPUS = ["The cat sat on the mat.", "The dog ate my homework!", "A cat, a dog; a bird?",
          "<br />Dogs and cats<br />", "the THE The tHe", "zebra"]


def S(n):  # noqa: N802 - the name the recorded cases use
    return bytes((i * 131 + n * 7 + 3) % 256 for i in range(n))


def _plain(v):
    v = v.numpy() if hasattr(v, "numpy") else v
    if isinstance(v, list):
        v = [x.encode("utf-8") if isinstance(x, str) else x for x in v]
        v = np.asarray(v, dtype=object if isinstance(v[0], bytes) else np.int64)
    a = np.asarray(v)
    if a.dtype == object:
        return "string", np.vectorize(lambda b: b.decode("latin-1"), otypes=[object])(a).tolist()
    return a.dtype.name, a.tolist()


@pytest.mark.parametrize("case", DATA, ids=[c["call"][:70] for c in DATA])
def test_as_tf(case):
    scope = {"tf": tf, "L": tf.keras.layers, "CORPUS": CORPUS, "S": S}
    dtype, value = _plain(eval(case["call"], scope))  # noqa: S307 - the recorded texts
    assert dtype == case["dtype"]
    if dtype.startswith("float"):
        np.testing.assert_allclose(value, case["value"], rtol=1e-6)
    else:
        assert value == case["value"]


def test_table_refusals_as_tf():
    init = tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2])
    table = tf.lookup.StaticHashTable(init, -1)
    with pytest.raises(TypeError, match="Dtype of argument `keys` must be"):
        table.lookup(tf.constant([1, 2]))
    with pytest.raises(FailedPreconditionError, match="different value for same key"):
        tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "a"], [1, 2]), -1)
    with pytest.raises(TypeError, match="Invalid `value_dtype`"):
        tf.lookup.StaticVocabularyTable(init, 3)
    with pytest.raises(ValueError, match="num_oov_buckets"):
        tf.lookup.StaticVocabularyTable(init, 0)
    with pytest.raises(InvalidArgumentError, match="num_buckets"):
        tf.strings.to_hash_bucket_fast(["a"], 0)
    with pytest.raises(TypeError, match="to_hash_bucket_fast: the input must be a string"):
        tf.strings.to_hash_bucket_fast([1], 3)


def test_mutable_tables():
    t = tf.lookup.experimental.MutableHashTable(tf.string, tf.float32, [0.0, 0.0])
    t.insert(tf.constant(["x", "y"]), tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    assert t.lookup(tf.constant(["y", "q"])).numpy().tolist() == [[3.0, 4.0], [0.0, 0.0]]
    t.remove(tf.constant(["y", "nope"]))
    keys, values = t.export()
    assert keys.numpy().tolist() == [b"x"] and values.shape == (1, 2) and int(t.size()) == 1
    dyn = t.lookup(tf.constant(["x", "z"]), dynamic_default_values=[[9.0, 9.0], [7.0, 7.0]])
    assert dyn.numpy().tolist() == [[1.0, 2.0], [7.0, 7.0]]
    with pytest.raises(InvalidArgumentError, match="each value must have shape"):
        t.insert(tf.constant(["a"]), tf.constant([1.0]))
    d = tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, empty_key=0, deleted_key=-1)
    with pytest.raises(InvalidArgumentError, match="empty_key"):
        d.insert(tf.constant([0], tf.int64), tf.constant([1], tf.int64))


def test_text_file_initializer(tmp_path):
    path = tmp_path / "vocab.tsv"
    path.write_text("emerson\t10\nlake\t20\npalmer\t30\n")
    index = tf.lookup.TextFileIndex
    by_line = tf.lookup.TextFileInitializer(str(path), tf.string, 0, tf.int64,
                                            index.LINE_NUMBER, value_index_offset=2)
    assert tf.lookup.StaticHashTable(by_line, -1).lookup(
        tf.constant(["lake", "x"])).numpy().tolist() == [3, -1]
    by_column = tf.lookup.TextFileInitializer(str(path), tf.string, 0, tf.int64, 1)
    assert tf.lookup.StaticHashTable(by_column, -1).lookup(
        tf.constant(["palmer"])).numpy().tolist() == [30]
    with pytest.raises(InvalidArgumentError, match="not a valid int64"):
        tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
            str(path), tf.int64, 1, tf.int64, 0), -1)
    with pytest.raises(tf.errors.NotFoundError, match="not found"):
        tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
            str(tmp_path / "none.txt"), tf.string, -2, tf.int64, -1), -1)


def test_layers_refuse_bad_arguments():
    L = tf.keras.layers
    with pytest.raises(ValueError, match="output_mode must be one of"):
        L.StringLookup(output_mode="bogus")
    with pytest.raises(ValueError, match="repeated term"):
        L.StringLookup(vocabulary=["a", "a"])
    with pytest.raises(RuntimeError, match="you must set the layer's vocabulary"):
        L.StringLookup(output_mode="multi_hot")(tf.constant(["a"]))
    with pytest.raises(InvalidArgumentError, match="num_oov_indices=0"):
        L.StringLookup(vocabulary=["a"], num_oov_indices=0)(tf.constant(["b"]))
    with pytest.raises(ValueError, match="last shape dimension must be 1"):
        L.TextVectorization(vocabulary=["a"])(tf.constant([["a", "b"]]))
    with pytest.raises(ValueError, match="num_bins"):
        L.Hashing(num_bins=0)


def test_layer_configs_round_trip():
    L = tf.keras.layers
    tv = L.TextVectorization(max_tokens=20, output_sequence_length=5, ngrams=2)
    tv.adapt(CORPUS)
    again = L.TextVectorization.from_config(tv.get_config())
    assert again.get_config()["ngrams"] == 2 and again._output_sequence_length == 5
    sl = L.StringLookup(vocabulary=["x", "y"], num_oov_indices=2, mask_token="")
    copy = L.StringLookup.from_config(sl.get_config())
    assert copy.get_vocabulary() == sl.get_vocabulary() == ["", "[UNK]", "[UNK]", "x", "y"]
    h = L.Hashing.from_config(L.Hashing(7, salt=3).get_config())
    assert h.salt == [3, 3] and h.num_bins == 7
