"""TextLineDataset, CsvDataset and make_csv_dataset against outputs recorded with TF 2.21 on
the same files (text comes back as byte strings)."""

import gzip
import zlib

import numpy as np
import pytest

import tapegrad as tf

TITANIC = ('survived,sex,age,fare,class,alone\n0,male,22.0,7.25,Third,n\n'
           '1,female,38,71.2833,"First, upper",n\n1,female,,7.925,Third,y\n'
           '0,male,35,3000000000,Third,NA\n')


def _np(v):
    return np.asarray(v.numpy() if hasattr(v, "numpy") else v)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "t.csv").write_text(TITANIC)
    (tmp_path / "crlf.txt").write_bytes(b"a\r\nb\r\n\r\nlast")
    (tmp_path / "t.txt.gz").write_bytes(gzip.compress(b"g1\ng2\n"))
    (tmp_path / "t.txt.z").write_bytes(zlib.compress(b"z1\nz2"))
    return tmp_path


def test_text_lines_compression_and_parallel_reads(files):
    crlf = str(files / "crlf.txt")
    ds = tf.data.TextLineDataset([crlf, crlf], num_parallel_reads=2)
    assert list(ds.as_numpy_iterator()) == [b"a", b"a", b"b", b"b", b"", b"", b"last", b"last"]
    gz = tf.data.TextLineDataset(str(files / "t.txt.gz"), compression_type="GZIP")
    assert list(gz.as_numpy_iterator()) == [b"g1", b"g2"]
    zl = tf.data.TextLineDataset(str(files / "t.txt.z"), compression_type="ZLIB")
    assert list(zl.as_numpy_iterator()) == [b"z1", b"z2"]
    assert repr(gz.element_spec) == "TensorSpec(shape=(), dtype=tf.string, name=None)"
    from_list = tf.data.Dataset.list_files(str(files / "*.txt")).interleave(
        tf.data.TextLineDataset, cycle_length=1)
    assert list(from_list.skip(3).as_numpy_iterator()) == [b"last"]   # header lines via skip
    with pytest.raises(tf.errors.InvalidArgumentError, match="compression_type"):
        list(tf.data.TextLineDataset(crlf, compression_type="LZ4"))


def test_make_csv_dataset_infers_columns_and_types(files):
    ds = tf.data.experimental.make_csv_dataset(str(files / "t.csv"), batch_size=3,
                                               label_name="survived", num_epochs=1,
                                               shuffle=False, na_value="NA")
    (f1, l1), (f2, l2) = list(ds)
    assert list(f1) == ["sex", "age", "fare", "class", "alone"]
    assert _np(f1["sex"]).tolist() == [b"male", b"female", b"female"]
    assert f1["age"].dtype == tf.float32 and _np(f1["age"]).tolist() == [22.0, 38.0, 0.0]
    np.testing.assert_allclose(_np(f1["fare"]), [7.25, 71.2833, 7.925], rtol=1e-6)
    assert _np(f1["class"]).tolist() == [b"Third", b"First, upper", b"Third"]
    assert l1.dtype == tf.int32 and _np(l1).tolist() == [0, 1, 1] and _np(l2).tolist() == [0]
    assert _np(f2["fare"]).tolist() == [3e9] and _np(f2["alone"]).tolist() == [b""]
    sel = tf.data.experimental.make_csv_dataset(str(files / "t.csv"), batch_size=2,
                                                select_columns=["age", "sex"], num_epochs=1,
                                                shuffle=False)
    first = next(iter(sel))
    assert list(first) == ["sex", "age"] and _np(first["age"]).tolist() == [22.0, 38.0]
    endless = tf.data.experimental.make_csv_dataset(str(files / "t.csv"), batch_size=3,
                                                    shuffle_seed=1)
    assert [int(_np(b["age"]).shape[0]) for b in endless.take(5)] == [3] * 5  # drop_remainder
    with pytest.raises(ValueError, match="label_name"):
        tf.data.experimental.make_csv_dataset(str(files / "t.csv"), 2, label_name="nope")


def test_csv_dataset_defaults_selection_and_errors(files):
    path = str(files / "t.csv")
    ds = tf.data.experimental.CsvDataset(path, [tf.int32, [0.0], [-1.0]], header=True,
                                         select_cols=[0, 2, 3])
    rows = [tuple(float(v) for v in e) for e in ds.as_numpy_iterator()]
    assert rows[2] == (1.0, 0.0, pytest.approx(7.925)) and rows[3] == (0.0, 35.0, 3e9)
    assert ds.element_spec[0].dtype == tf.int32 and ds.element_spec[1].dtype == tf.float32
    required = tf.data.experimental.CsvDataset(path, [tf.int32, tf.float32], header=True,
                                               select_cols=[0, 2])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Field 1 is required but missing in record 2"):
        list(required)
    wrong = tf.data.experimental.CsvDataset(path, [tf.int32, tf.int32], header=True,
                                            select_cols=[0, 1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Field 1 in record 0 .*is not a "
                                                             "valid int32: male"):
        list(wrong)
    assert list(wrong.ignore_errors()) == []
    some = tf.data.experimental.CsvDataset(path, [tf.int32, tf.float32], header=True,
                                           select_cols=[0, 2]).ignore_errors()
    assert [float(a) for _, a in some.as_numpy_iterator()] == [22.0, 38.0, 35.0]
    short = tf.data.experimental.CsvDataset(path, [tf.int32] * 7, header=True)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Expect 7 fields but have 6"):
        list(short)
