"""Launching: a failing rank stops every rank (no hang), and a world without mpi4py says
which extra to install. These start their own processes, so they run in the ordinary suite
only (not under mpiexec)."""

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

import tapegrad as tf

UNDER_MPI = tf.distribute.launched_size() > 1
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _mpiexec():
    here = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    return here if os.path.exists(here) else shutil.which("mpiexec")


def _run(args, code, env=None, timeout=120):
    script = textwrap.dedent(code)
    full = dict(os.environ, PYTHONPATH=ROOT, **(env or {}))
    return subprocess.run(args + [sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=timeout, env=full, cwd=ROOT)


@pytest.mark.skipif(UNDER_MPI or not tf.distribute.mpi_installed() or not _mpiexec(),
                    reason="needs mpi4py and mpiexec (the mpi extra), outside mpiexec")
def test_a_failing_rank_stops_every_rank():
    code = """
        import tapegrad as tf
        s = tf.distribute.MultiWorkerMirroredStrategy()
        rank = tf.distribute.world().rank
        if rank == 1:
            raise RuntimeError("rank one gives up")
        s.reduce("SUM", tf.constant(1.0), axis=None)  # rank 0 would wait here forever
        print("rank 0 went on")
    """
    out = _run([_mpiexec(), "-n", "2"], code)
    assert out.returncode != 0
    assert "rank one gives up" in out.stderr
    assert "rank 1 of 2 failed" in out.stderr


@pytest.mark.skipif(UNDER_MPI, reason="starts its own process")
def test_ranks_without_mpi4py_name_the_extra():
    code = """
        import sys
        sys.modules["mpi4py"] = None  # as if the extra were not installed
        import tapegrad as tf
        try:
            tf.distribute.MirroredStrategy()
        except ImportError as e:
            print("ERR", e)
    """
    out = _run([], code, env={"PMI_SIZE": "2", "PMI_RANK": "0"})
    assert 'pip install "tapegrad[mpi]"' in out.stdout, out.stderr
    assert "one of 2 MPI ranks" in out.stdout


@pytest.mark.skipif(UNDER_MPI, reason="starts its own process")
def test_multi_worker_without_mpi4py_is_one_worker_and_says_so():
    code = """
        import sys, warnings
        sys.modules["mpi4py"] = None  # as if the extra were not installed
        import tapegrad as tf
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            s = tf.distribute.MultiWorkerMirroredStrategy()
        print(s.num_replicas_in_sync, [str(x.message) for x in w])
    """
    out = _run([], code)
    assert out.stdout.startswith("1 "), out.stderr
    assert "single worker" in out.stdout and "tapegrad[mpi]" in out.stdout
