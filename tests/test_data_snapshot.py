"""Dataset.fingerprint and a snapshot keyed by it (TF's design: ``path/<fingerprint>``, written
by the first complete pass, read afterwards, never reused by a changed pipeline)."""

import os
import subprocess
import sys

import pytest

import tapegrad as tf

Dataset = tf.data.Dataset

_PIPELINE = "tf.data.Dataset.range(10).shuffle(4, seed=3).map(lambda x: x * 2 + k).batch(3)"


def _build(k):
    return eval(_PIPELINE, {"tf": tf, "k": k})


def test_fingerprint_is_a_uint64_that_follows_what_the_pipeline_computes():
    a = _build(1).fingerprint()
    assert a.dtype == tf.uint64 and a.shape == ()
    assert int(_build(1).fingerprint()) == int(a)
    assert int(_build(2).fingerprint()) != int(a)  # a value the map function closes over
    assert int(Dataset.range(3).map(lambda x: x + 1).fingerprint()) != \
        int(Dataset.range(3).map(lambda x: x - 1).fingerprint())
    assert int(Dataset.from_tensor_slices([1, 2]).fingerprint()) != \
        int(Dataset.from_tensor_slices([1, 3]).fingerprint())
    unseeded = Dataset.range(5).shuffle(5)
    before = int(unseeded.fingerprint())
    list(unseeded)  # a pass changes the random stage's state, not what it computes
    assert int(unseeded.fingerprint()) == before == int(Dataset.range(5).shuffle(5).fingerprint())


def test_fingerprint_is_the_same_in_another_program():
    code = ("import tapegrad as tf; k = 1; "
            f"print(int(({_PIPELINE}).fingerprint()))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=os.path.dirname(os.path.dirname(tf.__file__)))
    assert int(out.stdout.strip()) == int(_build(1).fingerprint())


def _counted(calls):
    def f(x):
        calls.append(int(x))
        return x * 10
    return f


def test_snapshot_is_written_once_then_read_and_a_changed_pipeline_is_not_stale(tmp_path):
    calls = []
    ds = Dataset.range(5).map(_counted(calls)).snapshot(str(tmp_path))
    assert [int(v) for v in ds] == [0, 10, 20, 30, 40] and len(calls) == 5
    assert [int(v) for v in ds] == [0, 10, 20, 30, 40] and len(calls) == 5  # read, not run
    again = Dataset.range(5).map(_counted(calls)).snapshot(str(tmp_path))  # a new program's
    assert [int(v) for v in again] == [0, 10, 20, 30, 40] and len(calls) == 5
    changed = Dataset.range(5).map(lambda x: x + 1).snapshot(str(tmp_path))
    assert [int(v) for v in changed] == [1, 2, 3, 4, 5]
    assert len(os.listdir(tmp_path)) == 2  # one folder per fingerprint


def test_a_pass_left_early_leaves_no_snapshot(tmp_path):
    calls = []
    ds = Dataset.range(4).map(_counted(calls)).snapshot(str(tmp_path))
    for _ in ds:
        break
    assert [int(v) for v in ds] == [0, 10, 20, 30] and len(calls) == 1 + 4
    assert [int(v) for v in ds] == [0, 10, 20, 30] and len(calls) == 5


def test_shard_func_reader_func_and_compression(tmp_path):
    ds = Dataset.range(6).snapshot(str(tmp_path), compression="GZIP",
                                   shard_func=lambda x: x % 2,
                                   reader_func=lambda shards: shards.interleave(
                                       lambda s: s, cycle_length=2))
    assert [int(v) for v in ds] == list(range(6))  # the writing pass: the source's order
    (folder,) = os.listdir(tmp_path)
    assert len([f for f in os.listdir(tmp_path / folder) if f.endswith(".tgds")]) == 2
    assert [int(v) for v in ds] == [0, 1, 2, 3, 4, 5]  # read: shards 0 and 1 interleaved
    in_order = Dataset.range(6).snapshot(str(tmp_path / "b"), shard_func=lambda x: x % 2)
    list(in_order)
    assert [int(v) for v in in_order] == [0, 2, 4, 1, 3, 5]  # default reader: shard order
    with pytest.raises(tf.errors.InvalidArgumentError, match="Snappy"):
        Dataset.range(2).snapshot(str(tmp_path), compression="SNAPPY")
