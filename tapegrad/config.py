"""``tf.config``: devices, eager functions, threads (re-exports of :mod:`tapegrad.runtime`)."""

from types import SimpleNamespace

from .runtime import (LogicalDevice, PhysicalDevice, functions_run_eagerly,  # noqa: F401
                      get_visible_devices, list_logical_devices, list_physical_devices,
                      run_functions_eagerly, set_visible_devices)
from . import runtime as _rt

experimental = SimpleNamespace(
    set_memory_growth=_rt.set_memory_growth, get_memory_growth=_rt.get_memory_growth,
    enable_op_determinism=_rt.enable_op_determinism, list_physical_devices=list_physical_devices,
    list_logical_devices=list_logical_devices, get_visible_devices=get_visible_devices,
    set_visible_devices=set_visible_devices)
threading = SimpleNamespace(
    set_intra_op_parallelism_threads=_rt.set_intra_op_parallelism_threads,
    get_intra_op_parallelism_threads=_rt.get_intra_op_parallelism_threads,
    set_inter_op_parallelism_threads=_rt.set_inter_op_parallelism_threads,
    get_inter_op_parallelism_threads=_rt.get_inter_op_parallelism_threads)
get_soft_device_placement = _rt.get_soft_device_placement
set_soft_device_placement = _rt.set_soft_device_placement
experimental_run_functions_eagerly = run_functions_eagerly
experimental_functions_run_eagerly = functions_run_eagerly
