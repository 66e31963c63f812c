"""TFRecord files, Examples and TensorProtos against files TF 2.21 wrote
(tests/data/records, made by tools/record_records.py)."""

import gzip
import json
import os
import shutil
import zlib

import numpy as np
import pytest

import tapegrad as tf

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "records")
with open(os.path.join(DATA, "records.json")) as _f:
    RECORD = json.load(_f)
PLAIN = os.path.join(DATA, "examples.tfrecord")
SPEC = {"id": tf.io.FixedLenFeature([2], tf.int64), "x": tf.io.FixedLenFeature([3], tf.float32),
        "name": tf.io.FixedLenFeature([], tf.dtypes.string), "tags": tf.io.VarLenFeature(tf.int64)}


def _read(path):
    with open(path, "rb") as f:
        return f.read()


@pytest.mark.parametrize("name,kind", [("examples.tfrecord", None),
                                       ("examples.tfrecord.gz", "GZIP")])
def test_tf_written_records_parse_as_tf_parsed_them(name, kind):
    records = list(tf.data.TFRecordDataset(os.path.join(DATA, name), compression_type=kind))
    # as TF: iteration gives tf.string scalars whose .numpy() is Python bytes
    assert len(records) == 3 and all(r.dtype == tf.string and isinstance(r.numpy(), bytes)
                                     for r in records)
    want = RECORD["parsed"]
    batch = tf.io.parse_example(records, SPEC)
    assert batch["id"].numpy().tolist() == want["id"]
    np.testing.assert_array_equal(batch["x"].numpy(), np.asarray(want["x"], np.float32))
    assert [n.decode() for n in batch["name"]] == want["name"]
    assert batch["tags"].indices.numpy().tolist() == want["tags_indices"]
    assert batch["tags"].values.numpy().tolist() == want["tags_values"]
    assert batch["tags"].dense_shape.numpy().tolist() == want["tags_shape"]
    one = tf.io.parse_single_example(records[2], SPEC)
    assert one["id"].numpy().tolist() == want["id"][2] and one["name"] == b"row2"
    assert one["tags"].values.numpy().tolist() == [0, 1]


def test_dataset_map_parses_each_record():
    ds = tf.data.TFRecordDataset([PLAIN, PLAIN]).map(
        lambda r: tf.io.parse_single_example(r, {"x": SPEC["x"]})["x"]).batch(2)
    batches = [b.numpy() for b in ds]
    assert [b.shape for b in batches] == [(2, 3), (2, 3), (2, 3)]
    np.testing.assert_array_equal(batches[0][1], RECORD["parsed"]["x"][1])


def test_example_messages_encode_as_tf_does():
    small = tf.train.Example(features=tf.train.Features(feature={
        "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[3]))}))
    assert small.SerializeToString().hex() == RECORD["small_example_hex"]
    ex = tf.train.Example.FromString(bytes.fromhex(RECORD["one_example_hex"]))
    feats = ex.features.feature
    assert feats["id"].int64_list.value == [1, -2]
    assert feats["big"].int64_list.value == [2 ** 40 + 1]
    assert feats["x"].float_list.value == [0.5, 1.0, -2.25]
    assert feats["name"].bytes_list.value == [b"row1"] and feats["tags"].WhichOneof() == \
        "int64_list"
    again = tf.train.Example()
    again.ParseFromString(ex.SerializeToString())
    assert again == ex


def test_writer_output_is_tf_byte_for_byte(tmp_path):
    payloads = list(tf.io.tf_record_iterator(PLAIN))
    path = str(tmp_path / "mine.tfrecord")
    with tf.io.TFRecordWriter(path) as w:
        for p in payloads:
            w.write(p)
    assert _read(path) == _read(PLAIN)
    gz = str(tmp_path / "mine.gz")
    with tf.io.TFRecordWriter(gz, tf.io.TFRecordOptions(compression_type="GZIP")) as w:
        for p in payloads:
            w.write(p)
    assert gzip.decompress(_read(gz)) == _read(PLAIN)
    zl = str(tmp_path / "mine.zlib")
    with tf.io.TFRecordWriter(zl, "ZLIB") as w:
        w.write("text")
    assert list(tf.data.TFRecordDataset(zl, "ZLIB").as_numpy_iterator()) == [b"text"]


def test_damaged_records_are_clear_errors(tmp_path):
    data = bytearray(_read(PLAIN))
    bad = tmp_path / "bad.tfrecord"
    data[30] ^= 0x10
    bad.write_bytes(bytes(data))
    with pytest.raises(tf.errors.DataLossError, match="checksum"):
        list(tf.data.TFRecordDataset(str(bad)))
    bad.write_bytes(_read(PLAIN)[:-7])
    with pytest.raises(tf.errors.DataLossError, match="truncated"):
        list(tf.data.TFRecordDataset(str(bad)))
    with pytest.raises(tf.errors.NotFoundError):
        list(tf.data.TFRecordDataset(str(tmp_path / "none.tfrecord")))
    with pytest.raises(ValueError, match="compression_type"):
        tf.io.TFRecordWriter(str(tmp_path / "x"), "LZ4")


def test_parse_errors_name_the_feature():
    rec = bytes.fromhex(RECORD["one_example_hex"])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Feature: missing"):
        tf.io.parse_single_example(rec, {"missing": tf.io.FixedLenFeature([], tf.float32)})
    with pytest.raises(tf.errors.InvalidArgumentError, match="Data types don't match"):
        tf.io.parse_single_example(rec, {"id": tf.io.FixedLenFeature([2], tf.float32)})
    with pytest.raises(tf.errors.InvalidArgumentError, match="Key: x"):
        tf.io.parse_single_example(rec, {"x": tf.io.FixedLenFeature([2], tf.float32)})
    out = tf.io.parse_single_example(rec, {
        "tags": tf.io.FixedLenSequenceFeature([], tf.int64, allow_missing=True),
        "nope": tf.io.FixedLenFeature([2], tf.float32, default_value=[1.0, 2.0])})
    assert out["tags"].numpy().tolist() == [0] and out["nope"].numpy().tolist() == [1.0, 2.0]


@pytest.mark.parametrize("case", RECORD["tensors"], ids=[t["dtype"] for t in RECORD["tensors"]])
def test_tensor_protos_read_and_written_as_tf(case):
    raw = bytes.fromhex(case["hex"])
    dtype = None if case["dtype"] == "string" else tf.as_dtype(case["dtype"])
    value = tf.io.parse_tensor(raw, dtype)
    flat = np.ravel(np.asarray(value if case["dtype"] == "string" else value.numpy()))
    got = [v.decode() if isinstance(v, bytes) else v for v in flat.tolist()]
    assert got == case["value"]
    assert tf.io.serialize_tensor(value) == raw
    with pytest.raises(tf.errors.InvalidArgumentError, match="Type mismatch"):
        tf.io.parse_tensor(raw, tf.int8)


def test_tensor_records_file_holds_the_protos(tmp_path):
    protos = list(tf.io.tf_record_iterator(os.path.join(DATA, "tensors.tfrecord")))
    assert [p.hex() for p in protos] == [t["hex"] for t in RECORD["tensors"]]
    shutil.copy(os.path.join(DATA, "tensors.tfrecord"), tmp_path / "t")


def test_raw_bytes_compression_and_base64():
    assert tf.io.decode_raw([b"\x01\x00\x00\x00", b"\xff\xff\xff\xff"], tf.int32).numpy() \
        .tolist() == [[1], [-1]]
    assert tf.io.decode_raw(b"\x00\x01", tf.int16, little_endian=False).numpy().tolist() == [1]
    assert tf.io.decode_raw(b"\x01", tf.uint8, fixed_length=3).numpy().tolist() == [1, 0, 0]
    with pytest.raises(tf.errors.InvalidArgumentError, match="same length"):
        tf.io.decode_raw([b"\x01\x00", b"\x01"], tf.uint8)
    assert tf.io.decode_compressed(zlib.compress(b"xyz"), "ZLIB") == b"xyz"
    assert tf.io.decode_compressed(gzip.compress(b"xyz"), "GZIP") == b"xyz"
    with pytest.raises(tf.errors.InvalidArgumentError, match="GZIP"):
        tf.io.decode_compressed(b"plain", "GZIP")
    # TF's documented web-safe alphabet: '+' -> '-', '/' -> '_', no padding by default
    assert tf.io.encode_base64(b"\xfb\xff") == b"-_8"
    assert tf.io.encode_base64(b"\xfb\xff", pad=True) == b"-_8="
    assert tf.io.decode_base64(b"-_8") == b"\xfb\xff"
