"""The allocator setting made at import: glibc keeps freed array memory for the next step."""

import os
import subprocess
import sys

import pytest

from tapegrad.engine import allocator, backend

GLIBC = sys.platform.startswith("linux") and allocator._glibc()

# a step that frees and reallocates 1 MiB arrays: with the setting, no page faults once warm
_LOOP = """
import resource, numpy as np
import tapegrad as tf
from tapegrad.engine import backend
x = tf.constant(np.ones((512, 512), np.float32))
def step():
    y = tf.nn.relu(x * 2.0 + 1.0)
    return tf.reduce_sum(y * y)
for _ in range(30):
    step()
f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(30):
    step()
print(backend.KEEPS_FREED_MEMORY, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0)
"""


def _run(**env):
    clean = {k: v for k, v in os.environ.items()
             if k not in allocator._GLIBC_VARS and k != "TAPEGRAD_KEEP_FREED_MEMORY"}
    out = subprocess.run([sys.executable, "-c", _LOOP], capture_output=True, text=True,
                         env={**clean, **env}, check=True)
    kept, faults = out.stdout.split()
    return kept == "True", int(faults)


def test_turned_off_by_the_variable_or_by_glibcs_own_settings():
    assert allocator.keep_freed_memory({"TAPEGRAD_KEEP_FREED_MEMORY": "0"}) is False
    assert allocator.keep_freed_memory({"MALLOC_TRIM_THRESHOLD_": "1000000"}) is False
    assert allocator.keep_freed_memory({"MALLOC_MMAP_THRESHOLD_": "1000000"}) is False


@pytest.mark.skipif(not GLIBC, reason="the setting exists only under glibc")
def test_set_at_import_on_glibc():
    assert allocator.keep_freed_memory({}) is True
    assert isinstance(backend.KEEPS_FREED_MEMORY, bool)


@pytest.mark.skipif(not GLIBC, reason="the setting exists only under glibc")
def test_a_warm_step_takes_no_fresh_pages_from_the_os():
    kept, faults = _run()
    assert kept and faults < 30  # 30 steps: not one fresh 1 MiB array (256 pages) each
    kept, _ = _run(TAPEGRAD_KEEP_FREED_MEMORY="0")
    assert not kept
