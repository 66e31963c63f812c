"""FixedLengthRecordDataset against TF 2.21's outputs and messages (recorded with TF on the same
bytes)."""

import gzip
import zlib

import pytest

import tapegrad as tf


def _file(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data)
    return str(p)


def test_records_after_header_before_footer_as_tf(tmp_path):
    p = _file(tmp_path, "a.bin", b"HH" + bytes(range(9)) + b"\x00" + b"F")
    ds = tf.data.FixedLengthRecordDataset(p, 5, header_bytes=2, footer_bytes=1)
    got = list(ds.as_numpy_iterator())
    assert got == [b"\x00\x01\x02\x03\x04", b"\x05\x06\x07\x08\x00"]  # the NUL is kept
    assert all(type(r) is bytes for r in got)
    assert (ds.element_spec.shape, ds.element_spec.dtype) == ((), tf.string)
    assert int(ds.cardinality()) == tf.data.UNKNOWN_CARDINALITY
    assert repr(ds) == ("<FixedLengthRecordDatasetV2 element_spec=TensorSpec(shape=(), "
                        "dtype=tf.string, name=None)>")
    assert [t.dtype for t in ds] == [tf.string, tf.string]


@pytest.mark.parametrize("kind,pack", [("GZIP", gzip.compress), ("ZLIB", zlib.compress)])
def test_compressed_files_one_after_another(tmp_path, kind, pack):
    g = _file(tmp_path, "b.bin.z", pack(b"HH" + bytes(range(10)) + b"F"))
    ds = tf.data.FixedLengthRecordDataset([g, g], 5, 2, 1, compression_type=kind)
    assert list(ds.as_numpy_iterator()) == [b"\x00\x01\x02\x03\x04", b"\x05\x06\x07\x08\t"] * 2


def test_a_body_that_is_not_whole_records_is_tfs_error(tmp_path):
    q = _file(tmp_path, "c.bin", bytes(7))
    msg = (r"Excluding the header \(0 bytes\) and footer \(0 bytes\), input file \".*c.bin\" has "
           r"body length 7 bytes, which is not an exact multiple of the record length \(5 bytes\)")
    with pytest.raises(tf.errors.InvalidArgumentError, match=msg):
        list(tf.data.FixedLengthRecordDataset(q, 5))
    g = _file(tmp_path, "c.bin.gz", gzip.compress(bytes(7)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="body length 7 bytes"):
        list(tf.data.FixedLengthRecordDataset(g, 5, compression_type="GZIP"))
    with pytest.raises(tf.errors.InvalidArgumentError, match="record_bytes"):
        tf.data.FixedLengthRecordDataset(q, 0)


def test_parallel_reads_interleave_files_record_by_record(tmp_path):
    a = _file(tmp_path, "a.bin", b"aaAA")
    b = _file(tmp_path, "b.bin", b"bbBBcc")
    ds = tf.data.FixedLengthRecordDataset([a, b], 2, num_parallel_reads=2)
    assert list(ds.as_numpy_iterator()) == [b"aa", b"bb", b"AA", b"BB", b"cc"]


def test_cifar_like_records_decode_with_map(tmp_path):
    rec = bytes([3]) + bytes(range(12))
    p = _file(tmp_path, "data_batch.bin", rec * 2)

    def parse(r):
        raw = tf.io.decode_raw(r, tf.uint8)
        return raw[0], tf.reshape(raw[1:], (2, 2, 3))
    label, image = next(iter(tf.data.FixedLengthRecordDataset(p, 13).map(parse)))
    assert int(label) == 3 and image.numpy().tolist()[1][1] == [9, 10, 11]
