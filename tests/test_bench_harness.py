"""The benchmark harness's plumbing (never its speed): the registry, a worker's result line."""

import pytest

from bench import registry, worker


def test_every_workload_has_a_tapegrad_column_and_a_known_baseline():
    workloads = registry.load_all()
    assert {"chain", "mlp", "jacobian", "hessian", "fit"} <= set(workloads)
    assert workloads["mlp"].batches == (16, 128, 1024)
    for w in workloads.values():
        assert "tapegrad" in w.columns, w.name
        assert any(b in w.columns for b in w.baseline), w.name
        assert all(c.library in registry.LIBRARIES for c in w.columns.values())


def test_a_column_of_an_unknown_library_is_refused():
    with pytest.raises(ValueError, match="library must be one of"):
        registry.column("chain", "X", "jax")


def test_the_worker_times_a_step_and_reports_memory():
    out = worker.main(["chain", "NumPy", "-", "0.01"])
    assert out["steps"] >= 7 and out["ops"] == 400
    assert 0 < out["q1_s"] <= out["median_s"] <= out["q3_s"]
    assert out["cpu_median_s"] >= 0 and out["faults_per_step"] >= 0


def test_resets_run_between_steps_and_are_untimed():
    calls = []
    step = registry.Step(lambda: calls.append("run"), lambda: calls.append("reset"), 3)
    worker.time_step(step, 0.0)
    assert calls.count("reset") == calls.count("run") // 3
