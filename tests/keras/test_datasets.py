"""keras.datasets imdb/reuters/cifar100/cifar10 from a local cache (tiny stand-ins under
tests/data/keras_datasets, in Keras's formats) give what Keras 3's loaders give
(tests/data/keras_datasets.json, from tools/record_keras_datasets.py); the restricted
unpickler refuses code, foreign dtypes and oversized members."""

import io
import json
import os
import pickle
import shutil
import tarfile
import zipfile

import numpy as np
import pytest

from tapegrad.keras.datasets import cifar10, cifar100, imdb, reuters
from tapegrad.keras.datasets._restricted import load_npz, load_pickle

HERE = os.path.join(os.path.dirname(__file__), "..", "data")
with open(os.path.join(HERE, "keras_datasets.json")) as _f:
    KERAS = json.load(_f)


def _plain(v):
    if isinstance(v, np.ndarray) and v.dtype == object:
        return [list(map(int, x)) for x in v]
    if np.ndim(v) == 4:
        return {"shape": list(v.shape), "dtype": str(v.dtype), "sum": int(v.sum()),
                "corner": v[:, :2, :3, :].tolist()}
    return np.asarray(v).tolist()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    os.makedirs(tmp_path / "datasets")
    for name in ("imdb.npz", "reuters.npz", "cifar-100-python.tar.gz"):
        shutil.copy(os.path.join(HERE, "keras_datasets", name), tmp_path / "datasets" / name)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    return tmp_path / "datasets"


@pytest.mark.parametrize("call", sorted(KERAS))
def test_as_keras(cache, call):
    name, kwargs = call.split(" ", 1)
    module = {"imdb": imdb, "reuters": reuters, "cifar100": cifar100}[name]
    (xa, ya), (xb, yb) = module.load_data(**eval(kwargs))  # noqa: S307 - the recorded texts
    want = KERAS[call]
    assert _plain(xa) == want["x_train"] and _plain(xb) == want["x_test"]
    assert _plain(ya) == want["y_train"] and _plain(yb) == want["y_test"]
    assert [str(ya.dtype), str(yb.dtype)] == want["dtypes"]


def test_cifar10_from_extracted_batches(cache):
    folder = cache / "cifar-10-batches-py"
    os.makedirs(folder)
    for i, name in enumerate([f"data_batch_{k}" for k in range(1, 6)] + ["test_batch"]):
        data = np.full((10000, 3072), i, np.uint8)
        data[:, 1024:2048] = 100 + i  # the green plane
        with open(folder / name, "wb") as f:
            pickle.dump({b"data": data, b"labels": [i] * 10000}, f, protocol=4)
    (x, y), (xt, yt) = cifar10.load_data()
    assert x.shape == (50000, 32, 32, 3) and y.shape == (50000, 1) and y.dtype == np.uint8
    assert x[0, 5, 7].tolist() == [0, 100, 0] and x[-1, 0, 0].tolist() == [4, 104, 4]
    assert xt[3, 1, 2].tolist() == [5, 105, 5] and yt.dtype == np.uint8 and int(yt[0, 0]) == 5


def test_missing_files_say_where_to_put_them(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="never downloads.*cifar-10-python.tar.gz"):
        cifar10.load_data()
    with pytest.raises(FileNotFoundError, match="imdb.npz"):
        imdb.load_data()


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def test_the_unpickler_refuses_code_and_foreign_types(tmp_path):
    with pytest.raises(pickle.UnpicklingError, match="refusing to unpickle posix.system"):
        load_pickle(io.BytesIO(pickle.dumps(_Evil())))
    with pytest.raises(pickle.UnpicklingError, match="refusing to unpickle"):
        load_pickle(io.BytesIO(pickle.dumps(np.zeros(2, dtype=[("a", "f4")]))))
    arrays = load_pickle(io.BytesIO(pickle.dumps({"a": np.arange(3), "b": [[1], [2, 3]]})))
    assert arrays["a"].tolist() == [0, 1, 2] and arrays["b"] == [[1], [2, 3]]
    evil = np.empty(1, dtype=object)
    evil[0] = _Evil()
    np.savez(tmp_path / "evil.npz", x=evil)
    with pytest.raises(pickle.UnpicklingError, match="posix.system"):
        load_npz(str(tmp_path / "evil.npz"))


def test_oversized_and_truncated_members_are_refused(tmp_path, monkeypatch):
    path = tmp_path / "bomb.npz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("x.npy", _npy_bytes(np.zeros(4_000_000)))
    with pytest.raises(ValueError, match="expands"):
        load_npz(str(path))
    raw = _npy_bytes(np.arange(100.0))[:-80]
    with zipfile.ZipFile(tmp_path / "cut.npz", "w") as z:
        z.writestr("x.npy", raw)
    with pytest.raises(ValueError, match="truncated"):
        load_npz(str(tmp_path / "cut.npz"))
    with tarfile.open(tmp_path / "c.tar.gz", "w:gz") as tar:
        info = tarfile.TarInfo("cifar-100-python/train")
        raw = pickle.dumps(_Evil())
        info.size = len(raw)
        tar.addfile(info, io.BytesIO(raw))
    os.makedirs(tmp_path / "datasets")
    shutil.move(tmp_path / "c.tar.gz", tmp_path / "datasets" / "cifar-100-python.tar.gz")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(pickle.UnpicklingError, match="posix.system"):
        cifar100.load_data()


def _npy_bytes(a):
    f = io.BytesIO()
    np.save(f, a)
    return f.getvalue()
