"""Dataset.save/load, cache(filename) and list_files: round trips, checked sizes and CRCs,
atomic writes (an interrupted cache is not reused)."""

import os
import struct

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.data import storage

Dataset = tf.data.Dataset


def _pairs(ds):
    return [(int(a), int(b)) for a, b in ds.as_numpy_iterator()]


def test_save_load_round_trip_keeps_structure_dtypes_and_cardinality(tmp_path):
    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    ds = Dataset.from_tensor_slices(({"x": x, "name": ["a", "bb", "c", "d", "e", "f"]},
                                     np.arange(6, dtype=np.int64)))
    ds.save(str(tmp_path))
    back = Dataset.load(str(tmp_path))
    assert len(back) == 6 and back.element_spec[1].dtype == tf.int64
    assert back.element_spec[0]["x"].shape == (2,)
    got = list(back.as_numpy_iterator())
    assert got[1][0]["name"] == b"bb" and got[1][0]["x"].tolist() == [2.0, 3.0]
    assert got[1][0]["x"].dtype == np.float32 and [int(y) for _, y in got] == list(range(6))


def test_save_with_shards_gzip_and_reader_func(tmp_path):
    ds = Dataset.zip((Dataset.range(6), Dataset.range(6).map(lambda v: v * 10)))
    ds.save(str(tmp_path), compression="GZIP", shard_func=lambda i, v: i % 2)
    shards = [f for f in os.listdir(tmp_path) if f.endswith(".tgds")]
    assert len(shards) == 2
    assert _pairs(Dataset.load(str(tmp_path))) == [(0, 0), (2, 20), (4, 40), (1, 10),
                                                   (3, 30), (5, 50)]
    mixed = Dataset.load(str(tmp_path), reader_func=lambda shards: shards.interleave(
        lambda s: s, cycle_length=2))
    assert _pairs(mixed) == [(i, 10 * i) for i in range(6)]
    Dataset.range(2).save(str(tmp_path))     # saving again replaces the old shards
    assert len([f for f in os.listdir(tmp_path) if f.endswith(".tgds")]) == 1
    assert [int(v) for v in Dataset.load(str(tmp_path))] == [0, 1]


def test_load_refuses_missing_corrupt_and_lying_files(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="no saved dataset"):
        Dataset.load(str(tmp_path / "nothing"))
    Dataset.from_tensor_slices(np.arange(4.0)).save(str(tmp_path))
    shard = next(tmp_path.glob("shard-*.tgds"))
    good = shard.read_bytes()
    data = bytearray(good)
    data[-30] ^= 0xFF                           # a flipped byte in the last element
    shard.write_bytes(bytes(data))
    with pytest.raises(tf.errors.DataLossError, match="CRC-32"):
        list(Dataset.load(str(tmp_path)))
    shard.write_bytes(good[:-10])        # truncated
    with pytest.raises(tf.errors.DataLossError, match="truncated"):
        list(Dataset.load(str(tmp_path)))
    # a frame claiming a terabyte: refused before anything is allocated
    lying = storage.MAGIC + struct.pack("<BQI", storage.HEADER, 1 << 40, 0)
    shard.write_bytes(lying)
    with pytest.raises(tf.errors.DataLossError, match="claims 1099511627776 bytes"):
        list(Dataset.load(str(tmp_path)))
    shard.write_bytes(b"not a dataset file")
    with pytest.raises(tf.errors.DataLossError, match="bad magic"):
        list(Dataset.load(str(tmp_path)))


def test_save_refuses_objects_it_cannot_store_without_pickle(tmp_path):
    ds = Dataset.from_tensor_slices(np.array([1 + 2j, 3j])).map(lambda v: v)
    ds.save(str(tmp_path / "ok"))                # complex numbers are numbers
    w = storage.RecordWriter(str(tmp_path / "x.tgds"), 0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="cannot store"):
        w.write(np.array([{"a": 1}], dtype=object))
    w.abort()
    assert not [f for f in os.listdir(tmp_path) if f.startswith(".tmp-")]


def test_file_cache_is_written_once_complete_and_reused(tmp_path):
    calls = []

    def f(v):
        calls.append(int(v))
        return v * 2

    prefix = str(tmp_path / "cache")
    ds = Dataset.range(5).map(f).cache(prefix)
    for i, _ in enumerate(ds):
        if i == 2:
            break
    assert not os.path.exists(prefix + ".tgds")          # an interrupted pass leaves nothing
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".tmp-")]
    assert [int(v) for v in ds] == [0, 2, 4, 6, 8] and storage.is_complete(prefix + ".tgds")
    calls.clear()
    again = Dataset.range(5).map(f).cache(prefix)        # another program, same file
    assert [int(v) for v in again] == [0, 2, 4, 6, 8] and calls == []


def test_list_files_sorted_shuffled_and_missing(tmp_path):
    for name in ["b.txt", "a.txt", "c.csv", "d.txt"]:
        (tmp_path / name).write_text("x")
    pattern = str(tmp_path / "*.txt")
    plain = [os.path.basename(f.decode()) for f in
             Dataset.list_files(pattern, shuffle=False).as_numpy_iterator()]
    assert plain == ["a.txt", "b.txt", "d.txt"]
    one = list(Dataset.list_files(pattern, seed=3).as_numpy_iterator())
    assert sorted(one) == sorted(Dataset.list_files(pattern, shuffle=False).as_numpy_iterator())
    assert one == list(Dataset.list_files(pattern, seed=3).as_numpy_iterator())
    assert len(Dataset.list_files([pattern, str(tmp_path / "*.csv")])) == 4
    with pytest.raises(tf.errors.InvalidArgumentError, match="no files matched pattern"):
        Dataset.list_files(str(tmp_path / "*.none"))
