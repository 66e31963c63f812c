"""Time one column of one workload in this process and print one JSON line.

    python -m bench.worker WORKLOAD COLUMN BATCH SECONDS      # BATCH may be "-" for none

The step is warmed up (so traces, caches and the allocator reach steady state), then timed one
call at a time for about SECONDS; ``reset`` runs untimed between calls. The line holds the
median and quartiles in seconds of wall time, the median CPU time of
this process per step (all its threads: steadier than wall time on a busy machine when the
libraries run one thread), minor page faults per step (fresh memory from the OS: a step in
steady state should need none), the step count, and memory: the process's resident set after
the run and the peak resident set *during one step* above what was resident before it (Linux:
the high-water mark is reset through ``/proc/self/clear_refs`` just before that step).
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time

from bench.registry import Step, load_all

WARMUP_SECONDS = 0.3
WARMUP_STEPS = 10


def _status_kb(key: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _step_peak_bytes(step: Step) -> int | None:
    """Peak RSS during one call of the step, above the RSS just before it."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current RSS
    except OSError:
        return None
    before = _status_kb("VmRSS")
    step.run()
    peak = _status_kb("VmHWM")
    if before is None or peak is None:
        return None
    return (peak - before) * 1024


def time_step(step: Step, seconds: float) -> dict:
    """Warm up, then time single calls for about ``seconds``; medians and quartiles."""
    t_end = time.perf_counter() + WARMUP_SECONDS
    n = 0
    while n < WARMUP_STEPS or time.perf_counter() < t_end:
        step.run()
        n += 1
        if step.reset is not None and n % step.reset_every == 0:
            step.reset()
    times: list[float] = []
    cpu: list[float] = []
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    t_end = time.perf_counter() + seconds
    while len(times) < 7 or (time.perf_counter() < t_end and len(times) < 100_000):
        c0 = time.process_time()
        t0 = time.perf_counter()
        step.run()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        n += 1
        if step.reset is not None and n % step.reset_every == 0:
            step.reset()
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
    q1, median, q3 = statistics.quantiles(times, n=4)
    return {"median_s": median, "q1_s": q1, "q3_s": q3, "cpu_median_s": statistics.median(cpu),
            "steps": len(times), "ops": step.ops, "faults_per_step": faults / len(times)}


def main(argv: list[str]) -> dict:
    name, col, batch, seconds = argv
    column = load_all()[name].columns[col]
    step = column.build(None if batch == "-" else int(batch))
    out = time_step(step, float(seconds))
    out["step_peak_bytes"] = _step_peak_bytes(step)
    rss = _status_kb("VmRSS")
    out["rss_bytes"] = None if rss is None else rss * 1024
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
