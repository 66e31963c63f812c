"""``python -m tapegrad check``: the tf. names a program uses that tapegrad lacks, by line."""

import glob
import os
import subprocess
import sys

import pytest

from tapegrad.porting_check import check_source

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PROGRAM = """import tensorflow as tf
from tensorflow import keras
import tensorflow.experimental.numpy as tnp

x = tf.constant([1.0, 2.0])
y = tf.math.no_such_op(x)
z = tf.reduce_sum([x, x]) + tf.no_such_name
layer = keras.layers.NoSuchLayer(3)
w = tf.Variable(1.0)
"""


def test_lists_missing_names_with_their_lines():
    got = check_source(PROGRAM)
    assert (6, "tf.math.no_such_op") in got and (7, "tf.no_such_name") in got
    assert (8, "tf.keras.layers.NoSuchLayer") in got
    assert not any(line in (5, 9) for line, _ in got)


@pytest.mark.parametrize("path", sorted(glob.glob(os.path.join(ROOT, "examples", "*.py"))))
def test_the_examples_need_nothing_missing(path):
    proc = subprocess.run([sys.executable, "-m", "tapegrad", "check", path], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 missing" in proc.stdout


def test_exit_status_one_and_a_pointer_when_names_are_missing(tmp_path):
    f = tmp_path / "prog.py"
    f.write_text(PROGRAM)
    proc = subprocess.run([sys.executable, "-m", "tapegrad", "check", str(f)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert ":6: tf.math.no_such_op is not in tapegrad (see docs/porting.md)" in proc.stdout
