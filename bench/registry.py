"""The benchmark registry: workloads, their columns (one per library or variant), and the modules
that define them.

A workload module registers itself with ``workload(...)`` and adds columns with the
``@column(workload, name, library)`` decorator. A column's builder takes the batch size (``None``
for a workload without one) and returns a ``Step``: the zero-argument callable timed once per
iteration, and optionally ``reset`` (called between timed steps, untimed, e.g. to put the weights
back so a long run at a real learning rate never overfits its one batch). Builders import their
library themselves, so a module can be imported by any Python that has NumPy: each column runs in
its own process, under the Python that has its library.

To add workloads, write a module under ``bench/`` and add one line to ``WORKLOAD_MODULES``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable

WORKLOAD_MODULES = (
    "bench.workloads",        # chain, mlp, jacobian, hessian, fit: tapegrad and NumPy
    "bench.peers",            # the same workloads in PyTorch, TF and HIPS autograd
    "bench.models",           # cnn, attn, lstm: tapegrad and PyTorch
)

# The library a column needs: the process that times it must be able to import this name.
LIBRARIES = ("tapegrad", "numpy", "torch", "tensorflow", "autograd")


@dataclass
class Step:
    """One iteration to time, and what to do (untimed) every ``reset_every`` iterations."""
    run: Callable[[], object]
    reset: Callable[[], None] | None = None
    reset_every: int = 100
    ops: int = 1              # the time per op is the step's time divided by this


@dataclass
class Column:
    name: str
    library: str
    build: Callable[[int | None], Step]


@dataclass
class Workload:
    name: str
    description: str
    unit: str = "ms"                        # "ms" per step or "us/op"
    batches: tuple = (None,)
    baseline: tuple = ("NumPy",)            # ratios are against the first of these present
    seconds: float = 1.0                    # timed seconds per process, per round
    columns: dict[str, Column] = field(default_factory=dict)


WORKLOADS: dict[str, Workload] = {}


def workload(name: str, description: str, **kw) -> Workload:
    """Declare a workload (idempotent: a second declaration of one name returns the first)."""
    if name not in WORKLOADS:
        WORKLOADS[name] = Workload(name, description, **kw)
    return WORKLOADS[name]


def column(workload_name: str, name: str, library: str):
    """Decorator: ``build(batch) -> Step`` becomes column ``name`` of the workload."""
    if library not in LIBRARIES:
        raise ValueError(f"column {name!r}: library must be one of {LIBRARIES}, got {library!r}")

    def register(build: Callable[[int | None], Step]) -> Callable[[int | None], Step]:
        WORKLOADS[workload_name].columns[name] = Column(name, library, build)
        return build
    return register


def load_all() -> dict[str, Workload]:
    """Import every workload module (each registers its workloads and columns) and return them."""
    for mod in WORKLOAD_MODULES:
        importlib.import_module(mod)
    return WORKLOADS
