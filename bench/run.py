"""Run the benchmark workloads, each column (library or variant) in its own process, and print
medians and ratios.

    python bench/run.py                           # every workload, markdown on stdout
    python bench/run.py --only mlp --batch 128    # one workload, one batch size
    python bench/run.py --python torch=/venv-a/bin/python --python tensorflow=/venv-b/bin/python
    python bench/run.py --json out.json           # also save the raw numbers

Each (workload, batch, column) is timed by ``python -m bench.worker`` in a fresh process, in
``--rounds`` rounds whose column order rotates, so load that comes and goes hits every column;
the figure is the median over rounds of each process's median step. A column whose library does
not import in its Python gives no column. Workloads live in the modules that
``bench/registry.py`` lists (one line each).
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

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import numpy as np  # noqa: E402

from bench.registry import Workload, load_all  # noqa: E402


THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BENCH_THREADS")


def run_worker(python: str, workload: str, col: str, batch, seconds: float,
               threads: int | None = None) -> dict | str:
    """One column timed in a fresh process: its JSON result, or the error's last line."""
    env = _env()
    if threads:
        env.update(dict.fromkeys(THREAD_VARS, str(threads)))
    p = subprocess.run([python, "-m", "bench.worker", workload, col,
                        "-" if batch is None else str(batch), str(seconds)],
                       capture_output=True, text=True, cwd=ROOT, env=env)
    lines = p.stdout.strip().splitlines()
    if p.returncode != 0 or not lines:
        return (p.stderr.strip().splitlines() or ["no output"])[-1]
    return json.loads(lines[-1])


def run_workload(w: Workload, pythons: dict, rounds: int, batches, scale: float,
                 threads: int | None = None) -> dict:
    """``{batch: {column: summary}}``: rounds of one process per column, order rotating."""
    out: dict = {}
    for batch in w.batches:
        if batches and batch is not None and batch not in batches:
            continue
        cols = [c for c in w.columns.values() if pythons.get(c.library)]
        runs: dict[str, list] = {c.name: [] for c in cols}
        for r in range(rounds):
            order = cols[r % len(cols):] + cols[:r % len(cols)] if cols else []
            for c in order:
                if runs[c.name] is None:
                    continue  # failed before: its library is missing there
                res = run_worker(pythons[c.library], w.name, c.name, batch, w.seconds * scale,
                                 threads)
                if isinstance(res, str):
                    print(f"  {w.name}/{c.name}: no column ({res})", file=sys.stderr)
                    runs[c.name] = None
                else:
                    runs[c.name].append(res)
        out[str(batch)] = {k: _summary(v) for k, v in runs.items() if v}
    return out


CLOCK = "median_s"  # or "cpu_median_s" (--clock cpu)


def _summary(runs: list[dict]) -> dict:
    per = 1.0 / runs[0]["ops"]
    peaks = [r["step_peak_bytes"] for r in runs if r["step_peak_bytes"] is not None]
    return {"median_s": statistics.median(r[CLOCK] for r in runs) * per,
            "rounds_s": [r[CLOCK] * per for r in runs],
            "wall_s": statistics.median(r["median_s"] for r in runs) * per,
            "cpu_s": statistics.median(r["cpu_median_s"] for r in runs) * per,
            "steps": sum(r["steps"] for r in runs),
            "faults_per_step": statistics.median(r["faults_per_step"] for r in runs),
            "step_peak_mb": statistics.median(peaks) / 2**20 if peaks else None,
            "rss_mb": statistics.median(r["rss_bytes"] for r in runs) / 2**20
            if runs[0]["rss_bytes"] is not None else None}


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


def _table(w: Workload, res: dict) -> list[str]:
    cols = list(dict.fromkeys(c for per in res.values() for c in per))
    if not cols:
        return [f"### {w.name}: no column ran", ""]
    scale = 1e6 if w.unit == "us/op" else 1e3
    lines = [f"### {w.name} ({w.unit}, median; {w.description})",
             "| batch | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for batch, per in res.items():
        base = next((per[b]["median_s"] for b in w.baseline if b in per), None)
        cells = []
        for c in cols:
            if c not in per:
                cells.append("")
                continue
            v = per[c]["median_s"]
            cells.append(_fmt(v * scale) + (f" ({v / base:.2f}x)" if base else ""))
        lines.append(f"| {batch if batch != 'None' else '-'} | " + " | ".join(cells) + " |")
    peaks = [(b, per) for b, per in res.items()
             if any(p.get("step_peak_mb") is not None for p in per.values())]
    if w.unit == "ms" and peaks:
        lines.append("")
        lines.append("peak RSS growth during one step, MB: " + "; ".join(
            f"batch {b if b != 'None' else '-'}: " + ", ".join(
                f"{c} {p['step_peak_mb']:.1f}" for c, p in per.items()
                if p.get("step_peak_mb") is not None)
            for b, per in peaks))
    if w.unit == "ms":
        lines.append("")
        lines.append("page faults per step: " + "; ".join(
            f"batch {b if b != 'None' else '-'}: " + ", ".join(
                f"{c} {p['faults_per_step']:.0f}" for c, p in per.items())
            for b, per in res.items()))
    lines.append("")
    lines.append(f"ratios against {' or '.join(w.baseline)} (the first present)")
    lines.append("")
    return lines


def report(results: dict, workloads: dict) -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [f"python {platform.python_version()}, numpy {np.__version__}, "
             f"{os.cpu_count()} cores, {platform.machine()}; load average before the run "
             f"{results.get('load_before', float('nan')):.2f}, after {load:.2f}; threads per "
             f"process: {results.get('threads') or 'libraries default'}; clock: "
             f"{results.get('clock', 'wall')}", ""]
    for name, res in results.items():
        if name in workloads:
            lines += _table(workloads[name], res)
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


def _pythons(args) -> dict:
    """The Python that times each library's columns: tapegrad and NumPy under this one."""
    peer = sys.executable if args.peer_python is None else args.peer_python
    pythons = {"tapegrad": sys.executable, "numpy": sys.executable,
               "torch": peer, "tensorflow": peer, "autograd": peer}
    for spec in args.python or []:
        lib, _, path = spec.partition("=")
        if lib not in pythons or not _:
            raise SystemExit(f"--python wants LIBRARY=PATH with LIBRARY in {sorted(pythons)} "
                             f"(an empty PATH: no columns of that library), got {spec!r}")
        pythons[lib] = path
    return pythons


def main(argv: list[str] | None = None) -> dict:
    workloads = load_all()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", action="append",
                    help=f"run only this workload (repeatable): {', '.join(workloads)}, deep, "
                         "import")
    ap.add_argument("--batch", action="append", type=int, help="only these batch sizes")
    ap.add_argument("--python", action="append", metavar="LIBRARY=PATH",
                    help="the Python whose processes time LIBRARY's columns (repeatable; "
                         "LIBRARY= with no path leaves its columns out)")
    ap.add_argument("--peer-python", help="the Python for every peer library ('' for no peers)")
    ap.add_argument("--rounds", type=int, default=3, help="processes per column (default 3)")
    ap.add_argument("--seconds", type=float, default=1.0,
                    help="scale each workload's timed seconds per process")
    ap.add_argument("--threads", type=int,
                    help="BLAS/OpenMP/PyTorch/TF threads in every column (default: each "
                         "library's own; 1 gives steadier numbers on a busy machine)")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                    help="time the tables show: wall (default) or this process's CPU time per "
                         "step (steadier under load; with --threads 1 equal to wall when idle)")
    ap.add_argument("--json", help="write the raw results here")
    args = ap.parse_args(argv)
    global CLOCK
    CLOCK = "cpu_median_s" if args.clock == "cpu" else "median_s"
    todo = args.only or [*workloads, "deep", "import"]
    pythons = _pythons(args)
    results: dict = {"load_before": os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0,
                     "started": time.strftime("%Y-%m-%d %H:%M:%S"), "threads": args.threads,
                     "clock": args.clock}
    for name in todo:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        if name in workloads:
            results[name] = run_workload(workloads[name], pythons, args.rounds, args.batch,
                                         args.seconds, args.threads)
        elif name == "deep":
            results[name] = run_deep()
        elif name == "import":
            results[name] = run_import()
        else:
            ap.error(f"unknown workload {name!r}")
    results["load_after"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(report(results, workloads))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return results


if __name__ == "__main__":
    main()
