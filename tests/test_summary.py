"""tf.summary event files: the TFRecord framing and Event messages that TensorBoard reads.

The files were checked once with TensorFlow's own reader
(``tf.compat.v1.train.summary_iterator``); here they are decoded by a small independent
protobuf reader, and by TensorBoard's ``EventAccumulator`` when tensorboard is installed."""

import struct

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.summaries.events import crc32c, masked_crc32c, read_records, record


def _fields(buf):
    """Decode one protobuf message into {field number: [raw values]}."""
    out, i = {}, 0

    def varint():
        nonlocal i
        n = shift = 0
        while True:
            b = buf[i]
            i += 1
            n |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return n

    while i < len(buf):
        key = varint()
        num, wire = key >> 3, key & 7
        if wire == 0:
            val = varint()
        elif wire == 1:
            val, i = struct.unpack("<d", buf[i:i + 8])[0], i + 8
        elif wire == 5:
            val, i = struct.unpack("<f", buf[i:i + 4])[0], i + 4
        else:
            n = varint()
            val, i = buf[i:i + n], i + n
        out.setdefault(num, []).append(val)
    return out


def _events(path):
    with open(path, "rb") as f:
        return [_fields(r) for r in read_records(f.read())]


def test_crc32c_known_values_and_framing():
    assert crc32c(b"") == 0 and crc32c(b"123456789") == 0xE3069283
    assert masked_crc32c(b"") == 0xA282EAD8
    data = record(b"xyz")
    assert struct.unpack("<Q", data[:8])[0] == 3 and len(data) == 3 + 16
    with pytest.raises(ValueError, match="bad payload checksum"):
        read_records(data[:-1] + bytes([data[-1] ^ 1]))
    with pytest.raises(ValueError, match="past the end"):
        read_records(data[:12] + b"x")


def test_scalar_histogram_text_image(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    assert tf.summary.scalar("ignored", 1.0, step=0) is False  # no default writer
    with writer.as_default(step=4):
        assert tf.summary.scalar("loss", tf.constant(0.25))
        tf.summary.histogram("w", np.arange(10.0), buckets=5)
        tf.summary.text("note", "hello")
        tf.summary.image("img", np.ones((1, 2, 3, 3), np.float32))
        with tf.summary.record_if(False):
            assert tf.summary.scalar("skipped", 1.0) is False
    writer.close()
    events = _events(writer.path)
    assert events[0][3] == [b"brain.Event:2"]
    values = [_fields(_fields(e[5][0])[1][0]) for e in events[1:]]
    assert [v[1][0] for v in values] == [b"loss", b"w", b"note", b"img"]
    assert all(e[2] == [4] for e in events[1:])
    assert values[0][2] == [0.25]
    histo = _fields(values[1][5][0])
    counts = struct.unpack("<5d", histo[7][0])
    assert histo[3] == [10.0] and counts == (2.0, 2.0, 2.0, 2.0, 2.0) and histo[4] == [45.0]
    assert _fields(values[2][8][0])[8] == [b"hello"]
    img = _fields(values[3][4][0])
    assert (img[1], img[2], img[3]) == ([2], [3], [3]) and img[4][0].startswith(b"\x89PNG")


def test_step_is_required():
    import tempfile
    with tf.summary.create_file_writer(tempfile.mkdtemp()).as_default():
        with pytest.raises(ValueError, match="no step set"):
            tf.summary.scalar("x", 1.0)
        tf.summary.experimental.set_step(2)
        assert tf.summary.scalar("x", 1.0)
        tf.summary.experimental.set_step(None)


def test_tensorboard_callback_writes_epoch_scalars(tmp_path):
    x = np.ones((8, 2), np.float32)
    model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(x, x[:, :1], epochs=2, verbose=0, validation_data=(x, x[:, :1]),
              callbacks=[tf.keras.callbacks.TensorBoard(str(tmp_path), histogram_freq=1)])
    for kind in ("train", "validation"):
        (path,) = (tmp_path / kind).iterdir()
        tags = [_fields(_fields(e[5][0])[1][0])[1][0] for e in _events(path)[1:]]
        assert tags.count(b"epoch_loss") == 2
    accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
    ea = accumulator.EventAccumulator(str(tmp_path / "train"))
    ea.Reload()
    assert len(ea.Scalars("epoch_loss")) == 2
