"""The environment a TF script sets up: devices, threads, eager functions, logging, autograph.

tapegrad runs on one CPU through NumPy, so the device functions report that CPU with TF's names;
the knobs that only matter to TF's runtime (memory growth, op determinism, soft placement) are
accepted and do nothing, which is what they would change on a CPU-only machine anyway.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import logging
import os
import threading
from typing import Any, Callable, NamedTuple

import numpy as np

from .engine.errors import InvalidArgumentError, UnimplementedError
from .function import RUN_EAGERLY

__all__ = ["PhysicalDevice", "LogicalDevice", "list_physical_devices", "list_logical_devices",
           "get_visible_devices", "set_visible_devices", "run_functions_eagerly",
           "functions_run_eagerly", "get_soft_device_placement", "set_soft_device_placement",
           "set_memory_growth", "get_memory_growth",
           "enable_op_determinism", "set_intra_op_parallelism_threads",
           "get_intra_op_parallelism_threads", "set_inter_op_parallelism_threads",
           "get_inter_op_parallelism_threads", "device", "get_logger", "set_verbosity",
           "get_verbosity", "autograph_set_verbosity", "do_not_convert", "not_supported"]

CPU_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"


class PhysicalDevice(NamedTuple):
    """A device as ``tf.config.list_physical_devices`` names it."""

    name: str
    device_type: str


class LogicalDevice(NamedTuple):
    """A device as ``tf.config.list_logical_devices`` names it."""

    name: str
    device_type: str


_CPU = PhysicalDevice("/physical_device:CPU:0", "CPU")
_LOCK = threading.Lock()


class _Config:
    visible: list = [_CPU]
    intra_threads = 0
    inter_threads = 0
    memory_growth: dict = {}


CONFIG = _Config()


def list_physical_devices(device_type: str | None = None) -> list[PhysicalDevice]:
    """The devices of this machine: tapegrad computes on the CPU (``tf.config``).

    >>> import tapegrad as tf
    >>> tf.config.list_physical_devices()
    [PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]
    >>> tf.config.list_physical_devices('GPU')
    []
    """
    if device_type is None or device_type.upper() == "CPU":
        return [_CPU]
    return []


def list_logical_devices(device_type: str | None = None) -> list[LogicalDevice]:
    """The devices ops run on: the CPU (``tf.config.list_logical_devices``).

    >>> import tapegrad as tf
    >>> tf.config.list_logical_devices()
    [LogicalDevice(name='/device:CPU:0', device_type='CPU')]
    """
    found = list_physical_devices(device_type)
    return [LogicalDevice("/device:CPU:0", d.device_type) for d in found]


def get_visible_devices(device_type: str | None = None) -> list[PhysicalDevice]:
    """The devices set visible (all of them unless ``set_visible_devices`` said otherwise).

    >>> import tapegrad as tf
    >>> tf.config.get_visible_devices()
    [PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]
    """
    kind = None if device_type is None else device_type.upper()
    return [d for d in CONFIG.visible if kind is None or d.device_type == kind]


def set_visible_devices(devices: Any, device_type: str | None = None) -> None:
    """Choose the visible devices. The CPU stays: TF, too, refuses to hide it.

    >>> import tapegrad as tf
    >>> tf.config.set_visible_devices([], 'GPU')
    >>> tf.config.get_visible_devices('CPU')
    [PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]
    """
    devices = [devices] if isinstance(devices, PhysicalDevice) else list(devices)
    for d in devices:
        if not isinstance(d, PhysicalDevice) or d != _CPU:
            raise ValueError(f"tf.config.set_visible_devices: unknown device {d!r}; tapegrad has "
                             f"only {_CPU!r} (see tf.config.list_physical_devices())")
    if device_type in (None, "CPU") and _CPU not in devices:
        raise ValueError("tf.config.set_visible_devices: the CPU cannot be hidden (as in TF); "
                         "pass [] with device_type='GPU' to hide accelerators")
    with _LOCK:
        CONFIG.visible = [_CPU]


def run_functions_eagerly(run_eagerly: bool) -> None:
    """Make every ``tf.function`` run its Python body as plain eager code (for debugging).

    >>> import tapegrad as tf
    >>> f = tf.function(lambda: tf.constant(tf.executing_eagerly()))
    >>> tf.config.run_functions_eagerly(True); bool(f())
    True
    >>> tf.config.run_functions_eagerly(False); bool(f())
    False
    """
    RUN_EAGERLY.on = bool(run_eagerly)


def functions_run_eagerly() -> bool:
    """Whether ``run_functions_eagerly(True)`` is in effect.

    >>> import tapegrad as tf
    >>> tf.config.functions_run_eagerly()
    False
    """
    return RUN_EAGERLY.on


def get_soft_device_placement() -> bool:
    """Always True: every op runs on the CPU, wherever it was asked to run.

    >>> import tapegrad as tf
    >>> tf.config.get_soft_device_placement()
    True
    """
    return True


def set_soft_device_placement(enabled: bool) -> None:
    """Accepted: tapegrad has one device (``tf.device`` still refuses others by name)."""


def set_memory_growth(device: Any, enable: bool) -> None:
    """Accepted and remembered; NumPy allocates as it goes, so there is nothing to grow.

    >>> import tapegrad as tf
    >>> for gpu in tf.config.list_physical_devices('GPU'):
    ...     tf.config.experimental.set_memory_growth(gpu, True)
    """
    with _LOCK:
        CONFIG.memory_growth[device] = bool(enable)


def get_memory_growth(device: Any) -> bool:
    """What ``set_memory_growth`` was told for ``device`` (False by default).

    >>> import tapegrad as tf
    >>> tf.config.experimental.get_memory_growth(tf.config.list_physical_devices()[0])
    False
    """
    return CONFIG.memory_growth.get(device, False)


def enable_op_determinism() -> None:
    """Accepted: tapegrad's ops are already deterministic (one thread order, NumPy kernels).

    >>> import tapegrad as tf
    >>> tf.config.experimental.enable_op_determinism()
    """


def _blas_setters() -> list[Callable]:
    """``openblas_set_num_threads`` of the OpenBLAS that NumPy's wheel bundles, when found."""
    here = os.path.dirname(os.path.dirname(np.__file__))
    found = []
    for lib in glob.glob(os.path.join(here, "numpy.libs", "*openblas*")):
        try:
            dll = ctypes.CDLL(lib)
        except OSError:
            continue
        for sym in ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_",
                    "openblas_set_num_threads"):
            if hasattr(dll, sym):
                found.append(getattr(dll, sym))
                break
    return found


def set_intra_op_parallelism_threads(num_threads: int) -> None:
    """Threads inside one op: set as the BLAS thread count when NumPy's OpenBLAS is found
    (0 means the library's default, as in TF).

    >>> import tapegrad as tf
    >>> tf.config.threading.set_intra_op_parallelism_threads(2)
    >>> tf.config.threading.get_intra_op_parallelism_threads()
    2
    >>> tf.config.threading.set_intra_op_parallelism_threads(0)
    """
    n = int(num_threads)
    if n < 0:
        raise ValueError(f"set_intra_op_parallelism_threads: num_threads must be >= 0, got {n}")
    with _LOCK:
        CONFIG.intra_threads = n
        for setter in _blas_setters():
            setter(n if n else (os.cpu_count() or 1))


def get_intra_op_parallelism_threads() -> int:
    """The intra-op thread count set (0: the default).

    >>> import tapegrad as tf
    >>> tf.config.threading.get_intra_op_parallelism_threads()
    0
    """
    return CONFIG.intra_threads


def set_inter_op_parallelism_threads(num_threads: int) -> None:
    """Remembered only: tapegrad runs one op at a time, in the calling thread.

    >>> import tapegrad as tf
    >>> tf.config.threading.set_inter_op_parallelism_threads(0)
    """
    with _LOCK:
        CONFIG.inter_threads = int(num_threads)


def get_inter_op_parallelism_threads() -> int:
    """The inter-op thread count set (0: the default).

    >>> import tapegrad as tf
    >>> tf.config.threading.get_inter_op_parallelism_threads()
    0
    """
    return CONFIG.inter_threads


def _device_type(name: str) -> str:
    """``'CPU'`` from '/CPU:0', 'cpu', '/job:localhost/replica:0/task:0/device:CPU:0' …"""
    for part in name.strip("/").split("/"):
        part = part.split("device:")[-1]
        if part and not part.startswith(("job:", "replica:", "task:")):
            return part.split(":")[0].upper()
    return ""


@contextlib.contextmanager
def device(device_name: str | None):
    """Place ops on a device (``tf.device``): the CPU is accepted, any other is an error.

    >>> import tapegrad as tf
    >>> with tf.device('/CPU:0'):
    ...     x = tf.constant([1.0])
    >>> x.device
    '/job:localhost/replica:0/task:0/device:CPU:0'
    """
    kind = "CPU" if device_name in (None, "") else _device_type(str(device_name))
    if kind != "CPU":
        raise InvalidArgumentError(
            f"tf.device({device_name!r}): tapegrad computes on the CPU only; use "
            f"tf.device('/CPU:0') or drop the device scope (TF would fall back to the CPU "
            f"too when no {kind or 'such'} device is present)")
    yield device_name


LOGGER = logging.getLogger("tensorflow")


def get_logger() -> logging.Logger:
    """TF's logger: Python's ``logging`` logger named ``tensorflow`` (``tf.get_logger``).

    >>> import tapegrad as tf
    >>> tf.get_logger().name
    'tensorflow'
    """
    return LOGGER


def set_verbosity(v: int) -> None:
    """Set the ``tensorflow`` logger's level (``tf.compat.v1.logging.set_verbosity``).

    >>> import tapegrad as tf
    >>> tf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.ERROR)
    >>> tf.compat.v1.logging.get_verbosity()
    40
    >>> tf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.WARN)
    """
    LOGGER.setLevel(v)


def get_verbosity() -> int:
    """The ``tensorflow`` logger's effective level.

    >>> import tapegrad as tf
    >>> tf.compat.v1.logging.get_verbosity()
    30
    """
    return LOGGER.getEffectiveLevel()


def autograph_set_verbosity(level: int, alsologtostdout: bool = False) -> None:
    """Accepted (``tf.autograph.set_verbosity``): tapegrad traces Python, it never converts it.

    >>> import tapegrad as tf
    >>> tf.autograph.set_verbosity(0)
    """


def do_not_convert(func: Callable | None = None) -> Any:
    """``tf.autograph.experimental.do_not_convert``: returns ``func`` unchanged.

    >>> import tapegrad as tf
    >>> tf.autograph.experimental.do_not_convert(abs)(-2)
    2
    """
    if func is None:
        return do_not_convert
    return func


def not_supported(what: str, instead: str) -> Callable:
    """A function that raises ``UnimplementedError`` (a NotImplementedError) naming what to use.

    >>> import tapegrad as tf
    >>> try:
    ...     tf.saved_model.save(None, "dir")
    ... except NotImplementedError as e:
    ...     print(str(e).split(";")[0])
    tf.saved_model.save is not supported by tapegrad
    """
    def raiser(*args: Any, **kwargs: Any):
        raise UnimplementedError(f"{what} is not supported by tapegrad; {instead}")
    raiser.__name__ = what.rsplit(".", 1)[-1]
    raiser.__doc__ = f"Not supported: raises UnimplementedError ({instead})."
    return raiser
