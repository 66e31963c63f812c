"""Run every benchmark workload and print medians and ratios against hand-written NumPy.

    python bench/run.py                 # all workloads, markdown table on stdout
    python bench/run.py --only chain    # one workload (chain, mlp, jacobian, hessian, deep, import)
    python bench/run.py --json out.json # also save the raw numbers

Peer columns (PyTorch, TF eager, tf.function, autograd) appear when those libraries import in
``--peer-python`` (default: this Python); each library is timed in its own process.

    python bench/run.py --peer-python /path/to/venv-with-peers/bin/python
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from typing import Callable

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import numpy as np  # noqa: E402

import tapegrad as tf  # noqa: E402
from bench import workloads as W  # noqa: E402

try:
    from tapegrad import function as tg_function  # noqa: E402
except ImportError:
    tg_function = None


def timeit(fns: dict[str, Callable], min_time: float = 1.0, min_reps: int = 7,
           max_reps: int = 2000) -> dict[str, float]:
    """Median seconds per call of each callable, interleaving them so drift hits all alike."""
    for k, fn in list(fns.items()):  # warm up (trace and checked replays, for tapegrad.function)
        try:
            for _ in range(5):
                fn()
        except Exception as e:  # a peer library that fails gives no column, never a failed run
            if k in ("tapegrad", "tapegrad.function", "NumPy"):
                raise
            print(f"  {k}: skipped ({type(e).__name__}: {e})", file=sys.stderr)
            del fns[k]
    times: dict[str, list] = {k: [] for k in fns}
    start = time.perf_counter()
    reps = 0
    while reps < min_reps or (time.perf_counter() - start < min_time * len(fns) and
                              reps < max_reps):
        for k, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - t0)
        reps += 1
    return {k: statistics.median(v) for k, v in times.items()}


PEER_LIBS = ("torch", "tensorflow", "autograd")


def peer_medians(workload: str, python: str | None, min_time: float = 1.0) -> dict[str, float]:
    """Peer columns, each library timed in its own process (their thread pools would otherwise
    disturb tapegrad's and NumPy's numbers) with ``python`` (one that has them installed)."""
    out: dict[str, float] = {}
    if not python:
        return out
    for lib in PEER_LIBS:
        p = subprocess.run([python, "-m", "bench.peers", workload, lib, str(min_time)],
                           capture_output=True, text=True, cwd=ROOT, env=_env())
        lines = p.stdout.strip().splitlines()
        if p.returncode != 0 or not lines:
            err = (p.stderr.strip().splitlines() or ["?"])[-1]
            print(f"  {lib}: no column ({err})", file=sys.stderr)
            continue
        out.update(json.loads(lines[-1]))
    return out


def _tapegrad_columns(make) -> dict[str, Callable]:
    cols = {"tapegrad": make(tf)}
    if tg_function is not None:
        cols["tapegrad.function"] = make(tf, tg_function)
    return cols


def run_chain(peer_python: str | None) -> dict:
    fns = _tapegrad_columns(W.tg_chain)
    fns["NumPy"] = W.np_chain()
    med = timeit(fns)
    med.update(peer_medians("chain", peer_python))
    return {"unit": "us/op", "values": {k: v / W.CHAIN_OPS * 1e6 for k, v in med.items()}}


def run_mlp(peer_python: str | None) -> dict:
    fns = {"tapegrad": W.tg_mlp(tf)[0]}
    if tg_function is not None:
        fns["tapegrad.function"] = W.tg_mlp(tf, tg_function)[0]
    fns["NumPy"] = W.np_mlp()[0]
    fns["NumPy, plain"] = W.np_mlp_plain()[0]
    med = timeit(fns, min_time=2.0)
    med.update(peer_medians("mlp", peer_python, 2.0))
    return {"unit": "ms", "values": {k: v * 1e3 for k, v in med.items()}}


def run_jacobian(peer_python: str | None) -> dict:
    fns = _tapegrad_columns(W.tg_jacobian)
    fns["NumPy"] = W.np_jacobian()
    med = timeit(fns)
    med.update(peer_medians("jacobian", peer_python))
    return {"unit": "ms", "values": {k: v * 1e3 for k, v in med.items()}}


def run_hessian(peer_python: str | None) -> dict:
    fns = _tapegrad_columns(W.tg_hessian)
    fns["NumPy"] = W.np_hessian()
    med = timeit(fns)
    med.update(peer_medians("hessian", peer_python))
    return {"unit": "ms", "values": {k: v * 1e3 for k, v in med.items()}}


_DEEP = r"""
import resource, sys, time, tracemalloc
sys.setrecursionlimit(1000)  # the default: the backward pass must not need more
import tapegrad as tf
n = {n}
def record():
    x = tf.constant(1.0)
    t = tf.GradientTape()
    with t:
        t.watch(x)
        y = x
        for _ in range(n // 2):
            y = y * 1.0001 + 0.0001
    return t, x, y
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
t, x, y = record()
t1 = time.perf_counter()
g = t.gradient(y, x)
t2 = time.perf_counter()
rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
del t, x, y, g
tracemalloc.start()
base = tracemalloc.get_traced_memory()[0]
t, x, y = record()
held = tracemalloc.get_traced_memory()[0] - base
tracemalloc.reset_peak()
g = t.gradient(y, x)
peak = tracemalloc.get_traced_memory()[1] - base
print(t1 - t0, t2 - t1, held, peak, (rss1 - rss0) * 1024, float(g))
"""


def run_deep(n: int = 1_000_000) -> dict:
    out = subprocess.run([sys.executable, "-c", _DEEP.format(n=n)], capture_output=True,
                         text=True, cwd=ROOT, env=_env())
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1]}
    rec, grad, held, peak, rss, g = (float(v) for v in out.stdout.split())
    return {"ops": n, "record_s": rec, "gradient_s": grad, "us_per_op": (rec + grad) / n * 1e6,
            "held_bytes_per_op": held / n, "peak_bytes_per_op": peak / n,
            "peak_rss_bytes_per_op": rss / n, "grad": g}


_HWM = """
import resource
try:
    hwm = [int(ln.split()[1]) for ln in open('/proc/self/status') if ln.startswith('VmHWM')][0]
except OSError:
    hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(hwm)"""


def _import_times(code: str, env: dict, reps: int) -> tuple[float, float]:
    """Median wall time of ``python -c code`` and its peak RSS in MB. The RSS comes from a
    separate run reading the child's own high-water mark (VmHWM, reset at exec), because a
    child's ru_maxrss also counts the parent's memory at fork time."""
    walls, rss = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env)
        walls.append(time.perf_counter() - t0)
        if p.returncode != 0:
            raise RuntimeError(f"`python -c {code!r}` failed")
        out = subprocess.run([sys.executable, "-c", code + _HWM], cwd=ROOT, env=env,
                             capture_output=True, text=True)
        rss.append(int(out.stdout.split()[-1]) * 1024)
    return statistics.median(walls), statistics.median(rss) / 2**20


def run_import(reps: int = 9) -> dict:
    """Import time as an installed package sees it (bytecode cached, in a private cache dir so
    the tree stays clean), and without bytecode (every module compiled from source)."""
    import tempfile
    env = _env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="tapegrad-pyc-")
    _import_times("import tapegrad", env, 1)  # writes the bytecode
    wall, rss = _import_times("import tapegrad", env, reps)
    numpy_wall, numpy_rss = _import_times("import numpy", env, reps)
    bare, _ = _import_times("pass", env, reps)
    nocache = dict(_env(), PYTHONDONTWRITEBYTECODE="1")  # tapegrad compiled from source
    cold, _ = _import_times("import tapegrad", nocache, 3)
    return {"wall_s": wall, "peak_rss_mb": rss, "numpy_wall_s": numpy_wall,
            "numpy_rss_mb": numpy_rss, "bare_python_s": bare, "no_bytecode_wall_s": cold}


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _fmt(v: float) -> str:
    return f"{v:.3g}" if v < 100 else f"{v:.0f}"


def report(results: dict) -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [f"python {platform.python_version()}, numpy {np.__version__}, "
             f"{os.cpu_count()} cores, {platform.machine()}; load average before the run "
             f"{results.get('load_before', float('nan')):.2f}, after {load:.2f}", ""]
    for name in ("chain", "mlp", "jacobian", "hessian"):
        if name not in results:
            continue
        r = results[name]
        vals = r["values"]
        cols = list(vals)
        lines.append(f"### {name} ({r['unit']}, median)")
        lines.append("| " + " | ".join(cols) + " |")
        lines.append("|" + "---|" * len(cols))
        lines.append("| " + " | ".join(_fmt(vals[c]) for c in cols) + " |")
        base = vals["NumPy"]
        lines.append("| " + " | ".join(f"{vals[c] / base:.2f}x" for c in cols) + " |")
        lines.append("")
    if "deep" in results:
        d = results["deep"]
        lines.append("### deep (1,000,000 recorded ops, then gradient)")
        if "error" in d:
            lines.append(f"error: {d['error']}")
        else:
            lines.append(f"record {d['record_s']:.2f} s + gradient {d['gradient_s']:.2f} s = "
                         f"{d['us_per_op']:.2f} us/op; held after recording "
                         f"{d['held_bytes_per_op']:.0f} B/op (tracemalloc), peak during gradient "
                         f"{d['peak_bytes_per_op']:.0f} B/op, peak RSS growth "
                         f"{d['peak_rss_bytes_per_op']:.0f} B/op")
        lines.append("")
    if "import" in results:
        i = results["import"]
        lines.append(f"### import\n`python -c \"import tapegrad\"`: {i['wall_s']:.3f} s wall, "
                     f"peak RSS {i['peak_rss_mb']:.1f} MB (bytecode cached; `import numpy` alone "
                     f"{i['numpy_wall_s']:.3f} s, {i['numpy_rss_mb']:.1f} MB; bare python "
                     f"{i['bare_python_s']:.3f} s; without bytecode "
                     f"{i['no_bytecode_wall_s']:.3f} s)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", action="append", help="run only this workload (repeatable)")
    ap.add_argument("--peer-python", default=sys.executable,
                    help="a Python with PyTorch/TF/autograd for the peer columns ('' for none)")
    ap.add_argument("--json", help="write the raw results here")
    args = ap.parse_args(argv)
    todo = args.only or ["chain", "mlp", "jacobian", "hessian", "deep", "import"]
    results: dict = {"load_before": os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0}
    runners = {"chain": run_chain, "mlp": run_mlp, "jacobian": run_jacobian,
               "hessian": run_hessian}
    for name in todo:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        if name in runners:
            results[name] = runners[name](args.peer_python or None)
        elif name == "deep":
            results[name] = run_deep()
        elif name == "import":
            results[name] = run_import()
        else:
            ap.error(f"unknown workload {name!r}")
    print(report(results))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return results


if __name__ == "__main__":
    main()
