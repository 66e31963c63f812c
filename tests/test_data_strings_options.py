"""tf.data text elements as TF gives them (string tensors; ``bytes`` from as_numpy_iterator)
and ``deterministic=None`` following ``tf.data.Options`` (orders recorded with TF 2.21)."""

import time

import numpy as np
import pytest

import tapegrad as tf

Dataset = tf.data.Dataset


def test_text_elements_are_string_tensors_and_python_bytes():
    ds = Dataset.from_tensor_slices(["a", "b\x00"])
    assert (ds.element_spec.shape, ds.element_spec.dtype) == ((), tf.string)
    got = list(ds)
    assert all(t.dtype == tf.string for t in got)
    assert [t.numpy() for t in got] == [b"a", b"b\x00"]  # TF keeps the NUL byte
    values = list(ds.as_numpy_iterator())
    assert values == [b"a", b"b\x00"] and all(type(v) is bytes for v in values)
    (batch,) = ds.batch(2).as_numpy_iterator()
    assert batch.dtype == object and batch.tolist() == [b"a", b"b\x00"]


def test_string_ops_apply_inside_map_and_padding_is_empty_bytes():
    ds = Dataset.from_tensor_slices(["ab", "c"]).map(tf.strings.upper)
    assert list(ds.as_numpy_iterator()) == [b"AB", b"C"]
    padded = Dataset.from_tensor_slices([[b"x"], [b"y"]]).padded_batch(2, padded_shapes=[2])
    assert next(padded.as_numpy_iterator()).tolist() == [[b"x", b""], [b"y", b""]]


def test_text_survives_save_and_load_with_nul_bytes(tmp_path):
    ds = Dataset.from_tensor_slices((["a\x00", "bcd"], [1, 2]))
    ds.save(str(tmp_path))
    got = list(Dataset.load(str(tmp_path)).as_numpy_iterator())
    assert [(s, int(n)) for s, n in got] == [(b"a\x00", 1), (b"bcd", 2)]


def _slow_first(x):
    time.sleep(0.3 if int(x) == 0 else 0.0)
    return x


def test_deterministic_none_follows_the_pipelines_options():
    # TF 2.21 (py_function sleeping 0.3 s on element 0): with Options.deterministic = False
    # element 0 comes last wherever with_options stands; deterministic=True wins over it.
    opts = tf.data.Options()
    opts.deterministic = False
    after = Dataset.range(4).map(_slow_first, num_parallel_calls=4).with_options(opts)
    before = Dataset.range(4).with_options(opts).map(_slow_first, num_parallel_calls=4)
    prefetched = Dataset.range(4).map(_slow_first, num_parallel_calls=4).prefetch(1) \
        .with_options(opts)
    for ds in (after, before, prefetched):
        got = [int(v) for v in ds]
        assert got[-1] == 0 and sorted(got) == [0, 1, 2, 3]
        assert int(list(ds.as_numpy_iterator())[-1]) == 0
    pinned = Dataset.range(4).map(_slow_first, num_parallel_calls=4, deterministic=True)
    assert [int(v) for v in pinned.with_options(opts)] == [0, 1, 2, 3]
    assert [int(v) for v in Dataset.range(4).map(_slow_first, num_parallel_calls=4)] == \
        [0, 1, 2, 3]
    assert np.array_equal(opts.deterministic, False)


def test_get_next_as_optional_as_tf():
    # TF 2.21: has_value() is a bool tensor; get_value() on an empty optional raises
    # InvalidArgumentError ("The given optional does not have a value").
    it = iter(Dataset.range(1))
    first, second = it.get_next_as_optional(), it.get_next_as_optional()
    assert first.has_value().dtype == tf.bool and bool(first.has_value())
    assert first.get_value().dtype == tf.int64 and int(first.get_value()) == 0
    assert not bool(second.has_value())
    assert (second.element_spec.shape, second.element_spec.dtype) == ((), tf.int64)
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not have a value"):
        second.get_value()
    assert not bool(tf.data.experimental.get_next_as_optional(it).has_value())


def test_optional_from_value_and_empty():
    o = tf.experimental.Optional.from_value((1, {"a": 2.0}))
    n, d = o.get_value()
    assert (n.dtype, int(n)) == (tf.int32, 1) and (d["a"].dtype, float(d["a"])) == (tf.float32, 2.0)
    assert o.element_spec[1]["a"].dtype == tf.float32
    empty = tf.experimental.Optional.empty(tf.TensorSpec((), tf.int32))
    assert not bool(empty.has_value()) and empty.element_spec.dtype == tf.int32
