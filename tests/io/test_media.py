"""Files and media against TF 2.21 (tests/data/media, made by tools/record_media.py):
read_file/write_file, gfile, PNG/JPEG/WAV codecs, decode_csv."""

import json
import os

import numpy as np
import pytest

import tapegrad as tf

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "media")
with open(os.path.join(DATA, "media.json")) as _f:
    RECORD = json.load(_f)


def _file(name):
    return tf.io.read_file(os.path.join(DATA, name))


def test_encode_png_round_trips_and_tf_decodes_it_alike():
    rgb = np.asarray(RECORD["rgb"], np.uint8)
    mine = tf.io.encode_png(tf.constant(rgb))
    assert mine[:8] == b"\x89PNG\r\n\x1a\n"
    pytest.importorskip("PIL")
    np.testing.assert_array_equal(tf.io.decode_png(mine).numpy(), rgb)
    gray16 = np.asarray(RECORD["gray16"], np.uint16)
    back = tf.io.decode_png(tf.io.encode_png(tf.constant(gray16)), dtype=tf.uint16)
    np.testing.assert_array_equal(back.numpy(), gray16)


def test_decoders_match_tf_on_tf_written_files():
    pytest.importorskip("PIL")
    png = _file("img.png")
    np.testing.assert_array_equal(tf.io.decode_png(png).numpy(), RECORD["png_decoded"])
    np.testing.assert_array_equal(tf.io.decode_png(png, channels=4).numpy(), RECORD["png_rgba"])
    gray = tf.io.decode_png(png, channels=1).numpy().astype(int)
    assert np.abs(gray - np.asarray(RECORD["png_gray"])).max() <= 1  # luma rounding
    np.testing.assert_array_equal(tf.io.decode_png(_file("img16.png"), dtype=tf.uint16).numpy(),
                                  RECORD["png16"])
    jpeg = tf.io.decode_jpeg(_file("img.jpg")).numpy().astype(int)
    assert jpeg.shape == (8, 6, 3)
    diff = np.abs(jpeg - np.asarray(RECORD["jpeg_decoded"]))  # libjpeg builds: chroma rounding
    assert diff.max() <= 6 and diff.mean() < 1.5
    assert tf.io.is_jpeg(_file("img.jpg")) and not tf.io.is_jpeg(png)
    np.testing.assert_allclose(tf.io.decode_image(png, dtype=tf.float32).numpy(),
                               RECORD["image_float"], rtol=1e-6)
    assert tf.io.decode_image(_file("img.jpg")).shape == (8, 6, 3)


def test_image_errors():
    pytest.importorskip("PIL")
    with pytest.raises(tf.errors.InvalidArgumentError, match="decode_png"):
        tf.io.decode_png(b"not an image")
    with pytest.raises(tf.errors.InvalidArgumentError, match="encode_png"):
        tf.io.encode_png(tf.zeros((2, 2)))


def test_wav_decodes_as_tf_and_encodes_byte_for_byte():
    wav = _file("tone.wav")
    audio, rate = tf.audio.decode_wav(wav)
    np.testing.assert_array_equal(audio.numpy(), np.asarray(RECORD["wav_decoded"], np.float32))
    assert int(rate) == RECORD["wav_rate"] and rate.dtype == tf.int32
    again = tf.audio.encode_wav(tf.constant(np.asarray(RECORD["tone"], np.float32)), 8000)
    assert again.hex() == RECORD["wav_bytes_hex"]
    mono, _ = tf.audio.decode_wav(wav, desired_channels=1, desired_samples=60)
    assert mono.shape == (60, 1) and float(mono[-1, 0]) == 0.0
    with pytest.raises(tf.errors.InvalidArgumentError, match="truncated"):
        tf.audio.decode_wav(wav[:-20] + b"data" + b"\xff\xff\x00\x00")
    with pytest.raises(tf.errors.InvalidArgumentError, match="RIFF"):
        tf.audio.decode_wav(b"nope")


def test_decode_csv_as_tf():
    a, b, c = tf.io.decode_csv(["1,2.5,a", '3,,"b,c"', ",7,"], [[0], [1.5], [""]])
    want = RECORD["csv"]
    assert a.numpy().tolist() == want[0] and a.dtype == tf.int32
    assert b.numpy().tolist() == want[1] and b.dtype == tf.float32
    assert [v.decode() for v in c] == want[2]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Field 0 is required"):
        tf.io.decode_csv([",1"], [tf.constant([], tf.int64), [0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Expect 2 fields"):
        tf.io.decode_csv(["1"], [[0], [0]])


def test_files_and_gfile(tmp_path):
    d = str(tmp_path)
    tf.io.write_file(os.path.join(d, "sub", "a.txt"), "hello")
    assert tf.io.read_file(os.path.join(d, "sub", "a.txt")) == b"hello"
    g = tf.io.gfile
    assert g.exists(os.path.join(d, "sub")) and g.isdir(os.path.join(d, "sub"))
    g.makedirs(os.path.join(d, "x", "y"))
    assert g.listdir(d) == ["sub", "x"]
    g.copy(os.path.join(d, "sub", "a.txt"), os.path.join(d, "b.txt"))
    with pytest.raises(tf.errors.AlreadyExistsError):
        g.copy(os.path.join(d, "sub", "a.txt"), os.path.join(d, "b.txt"))
    g.rename(os.path.join(d, "b.txt"), os.path.join(d, "c.txt"))
    assert g.glob(os.path.join(d, "*.txt")) == [os.path.join(d, "c.txt")]
    assert g.stat(os.path.join(d, "c.txt")).length == 5
    with g.GFile(os.path.join(d, "c.txt"), "rb") as f:
        assert f.read() == b"hello"
    with g.GFile(os.path.join(d, "c.txt"), "a") as f:
        f.write("!\n")
    assert [w[0] for w in g.walk(d)][0] == d
    g.remove(os.path.join(d, "c.txt"))
    with pytest.raises(tf.errors.NotFoundError):
        g.remove(os.path.join(d, "c.txt"))
    with pytest.raises(tf.errors.NotFoundError):
        tf.io.read_file(os.path.join(d, "nope"))
    with pytest.raises(tf.errors.UnimplementedError, match="gs"):
        g.exists("gs://bucket/x")
    g.rmtree(os.path.join(d, "x"))
    assert not g.exists(os.path.join(d, "x"))
