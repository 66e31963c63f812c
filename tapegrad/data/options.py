"""``tf.data.Options`` and its groups: accepted, kept and merged as TF does; tapegrad's pipeline
reads ``deterministic`` only (the other settings tune TF's runtime, which tapegrad does not have).
"""

from __future__ import annotations

import enum
from typing import Any

__all__ = ["Options", "ThreadingOptions", "OptimizationOptions", "DistributeOptions",
           "AutoShardPolicy", "AutotuneOptions"]


class AutoShardPolicy(enum.IntEnum):
    """``tf.data.experimental.AutoShardPolicy`` (read by distribution code, not by tapegrad).

    >>> AutoShardPolicy.DATA.value
    2
    """

    OFF = -1
    AUTO = 0
    FILE = 1
    DATA = 2
    HINT = 3


class _Group:
    """A group of settings: every field starts as None (TF's "not set") and merges field by
    field, a set value winning over an unset one."""

    _fields: tuple = ()

    def __init__(self) -> None:
        for f in self._fields:
            object.__setattr__(self, f, None)

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in self._fields:
            raise AttributeError(f"{type(self).__name__} has no option {name!r}; the options "
                                 f"are {', '.join(self._fields)}.")
        object.__setattr__(self, name, value)

    def _merge(self, other: _Group) -> None:
        for f in self._fields:
            mine, theirs = getattr(self, f), getattr(other, f)
            if isinstance(mine, _Group):
                mine._merge(theirs)
            elif theirs is not None:
                object.__setattr__(self, f, theirs)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and all(
            getattr(self, f) == getattr(other, f) for f in self._fields)

    def __repr__(self) -> str:
        fields = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({fields})"


class ThreadingOptions(_Group):
    """``tf.data.ThreadingOptions``."""

    _fields = ("max_intra_op_parallelism", "private_threadpool_size")


class OptimizationOptions(_Group):
    """``tf.data.experimental.OptimizationOptions``."""

    _fields = ("apply_default_optimizations", "filter_fusion", "map_and_batch_fusion",
               "map_and_filter_fusion", "map_fusion", "map_parallelization",
               "noop_elimination", "parallel_batch", "shuffle_and_repeat_fusion",
               "inject_prefetch", "seq_interleave_prefetch", "filter_parallelization")


class DistributeOptions(_Group):
    """``tf.data.experimental.DistributeOptions``."""

    _fields = ("auto_shard_policy", "num_devices")


class AutotuneOptions(_Group):
    """``tf.data.experimental.AutotuneOptions``."""

    _fields = ("enabled", "cpu_budget", "ram_budget", "autotune_algorithm", "initial_parallelism",
               "min_parallelism")


class Options(_Group):
    """``tf.data.Options``: accepted, merged along a pipeline as TF does (``ds.options()``
    sees options set by ``with_options`` anywhere upstream); tapegrad reads ``deterministic``.

    >>> import tapegrad as tf
    >>> opts = tf.data.Options()
    >>> opts.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    >>> ds = tf.data.Dataset.range(3).with_options(opts).map(lambda x: x)
    >>> ds.options().experimental_distribute.auto_shard_policy.name, ds.options().deterministic
    ('DATA', True)
    """

    _fields = ("autotune", "deterministic", "experimental_deterministic",
               "experimental_distribute", "experimental_external_state_policy",
               "experimental_optimization", "experimental_slack",
               "experimental_symbolic_checkpoint", "experimental_warm_start", "threading",
               "dataset_name", "framework_type")

    def __init__(self) -> None:
        super().__init__()
        object.__setattr__(self, "autotune", AutotuneOptions())
        object.__setattr__(self, "experimental_distribute", DistributeOptions())
        object.__setattr__(self, "experimental_optimization", OptimizationOptions())
        object.__setattr__(self, "threading", ThreadingOptions())

    def __getattribute__(self, name: str) -> Any:
        value = object.__getattribute__(self, name)
        if name == "deterministic" and value is None:
            return True  # TF's default when unset
        return value

    def merge(self, options: Options) -> Options:
        """A new Options: these, with every option set in ``options`` taking its value."""
        out = Options()
        out._merge(self)
        out._merge(options)
        return out
