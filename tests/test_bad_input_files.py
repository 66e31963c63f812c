"""Hostile weights files: every format's declared sizes are checked against the file before
anything is allocated, by one zip-member check (``engine.atomic.check_zip_member``) for
``.npz`` weights and ``.keras`` archives, and by the dtype and shape of each HDF5 dataset."""

import io
import zipfile

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.engine import atomic

h5py = pytest.importorskip("h5py")


def _model():
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def _claim(data: bytes, name: bytes, size: int) -> bytes:
    """``data`` (a zip) with the central directory claiming ``size`` bytes for member
    ``name``: the member's bytes are unchanged, only the declared size lies."""
    at = data.index(b"PK\x01\x02")
    while data[at + 46:at + 46 + len(name)] != name:
        at = data.index(b"PK\x01\x02", at + 4)
    return data[:at + 24] + size.to_bytes(4, "little") + data[at + 28:]


@pytest.fixture
def lying(monkeypatch):
    """The names of lying members; reading one fails: its check must come first."""
    names, real_read = set(), zipfile.ZipExtFile.read

    def read(self, *args, **kwargs):
        if self.name in names:
            raise AssertionError(f"{self.name} was read before its sizes were checked")
        return real_read(self, *args, **kwargs)
    monkeypatch.setattr(zipfile.ZipExtFile, "read", read)
    return names


@pytest.mark.parametrize("member", [b"config.json", b"model.weights.h5"])
def test_keras_archive_members_claiming_more_than_the_file_holds_are_refused(tmp_path, member,
                                                                           lying):
    path = tmp_path / "m.keras"
    lying.add(member.decode())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:  # stored: sizes must be equal
        zf.writestr("config.json", b"{}")
        zf.writestr("model.weights.h5", b"\0" * 64)
    path.write_bytes(_claim(buf.getvalue(), member, 3 << 30))
    with pytest.raises(ValueError, match="hostile file; nothing was read"):
        tf.keras.models.load_model(path)


def test_npz_members_go_through_the_same_check(tmp_path, lying):
    path = tmp_path / "w.npz"
    model = _model()
    model.save_weights(path)
    data = path.read_bytes()
    name = zipfile.ZipFile(io.BytesIO(data)).namelist()[-1]
    lying.add(name)
    path.write_bytes(_claim(data, name.encode(), 3 << 30))
    with pytest.raises(ValueError, match="hostile file"):
        model.load_weights(path)


def test_other_zip_compressions_are_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_BZIP2) as zf:
        zf.writestr("a", b"x" * 100)
    info = zipfile.ZipFile(buf).getinfo("a")
    with pytest.raises(ValueError, match="compression method 12"):
        atomic.check_zip_member(info, len(buf.getvalue()), "load")


def test_honest_deflated_members_pass_up_to_deflates_ratio():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros", b"\0" * (1 << 20))  # ~1000x: real deflate output
    info = zipfile.ZipFile(buf).getinfo("zeros")
    atomic.check_zip_member(info, len(buf.getvalue()), "load")
    with pytest.raises(ValueError, match="limit 1000"):
        atomic.check_zip_member(info, len(buf.getvalue()), "load", limit=1000)


def test_weights_h5_datasets_of_non_numbers_are_refused_before_reading(tmp_path, monkeypatch):
    model = _model()
    path = tmp_path / "m.weights.h5"
    model.save_weights(path)
    with h5py.File(path, "r+") as f:
        key = "layers/dense/vars/0"
        shape = f[key].shape
        del f[key]
        f.create_dataset(key, shape=shape, dtype="S100000")  # 100 kB a value
    before = [w.copy() for w in model.get_weights()]
    read = []
    monkeypatch.setattr(h5py.Dataset, "__getitem__", lambda *a: read.append(a))
    with pytest.raises(ValueError, match="S100000.*not numbers; nothing was read"):
        model.load_weights(path)
    assert not read
    for got, want in zip(model.get_weights(), before):
        np.testing.assert_array_equal(got, want)
