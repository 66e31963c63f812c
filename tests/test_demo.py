"""``python -m tapegrad demo``: the bundled data, a short training run, the picture, the CLI."""

import builtins
import io
import os
import subprocess
import sys

import numpy as np
import pytest

from tapegrad import demo
from tapegrad.__main__ import main


def test_bundled_digits():
    images, labels = demo.load_digits()
    assert images.shape == (1797, 8, 8) and labels.shape == (1797,)
    assert images.min() == 0.0 and images.max() == 1.0
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_short_run_reaches_a_sane_accuracy(tmp_path):
    out = io.StringIO()
    result = demo.run(epochs=4, seed=1, out_dir=str(tmp_path), stream=out)
    assert result["test_accuracy"] > 0.9
    assert result["seconds"] < 30
    assert len(result["history"]["loss"]) == 4
    assert result["history"]["loss"][-1] < result["history"]["loss"][0]
    text = out.getvalue()
    assert "4/4 [==============================]" in text
    assert f"test accuracy: {result['test_accuracy']:.4f}" in text
    if result["plot"] is not None:  # matplotlib installed
        with open(result["plot"], "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"
        assert os.path.basename(result["plot"]) == "tapegrad-demo.png"


def test_same_seed_same_numbers():
    a = demo.run(epochs=1, seed=3, plot=False, stream=io.StringIO())
    b = demo.run(epochs=1, seed=3, plot=False, stream=io.StringIO())
    assert a["history"] == b["history"]


def test_without_matplotlib_it_says_how_to_install(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    out = io.StringIO()
    result = demo.run(epochs=1, out_dir=str(tmp_path), stream=out)
    assert result["plot"] is None and result["test_accuracy"] > 0.5
    assert 'pip install "tapegrad[plot]"' in out.getvalue()
    assert not (tmp_path / "tapegrad-demo.png").exists()


def test_cli_help_and_options(capsys):
    with pytest.raises(SystemExit) as e:
        main(["demo", "--help"])
    assert e.value.code == 0
    text = capsys.readouterr().out
    for option in ("--epochs", "--seed", "--out"):
        assert option in text
    with pytest.raises(SystemExit):
        main(["demo", "--epochs", "0"])
    assert main([]) == 0 and "demo" in capsys.readouterr().out


def test_python_dash_m(tmp_path):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-m", "tapegrad", "demo", "--epochs", "2",
                           "--no-plot"], capture_output=True, text=True, env=env, timeout=60,
                          cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "test accuracy: " in proc.stdout and "2/2 [" in proc.stdout
