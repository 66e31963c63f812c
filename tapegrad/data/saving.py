"""``Dataset.save``'s writing run: elements into the record files of a folder, then the
``dataset_spec.json`` that makes them a saved dataset (``snapshot`` writes the same way)."""

from __future__ import annotations

import glob
import os
from typing import Any, Callable, Iterator

from . import storage
from .elements import _call, _to_numpy

_SPEC_FILE = "dataset_spec.json"
_FORMAT = "tapegrad.data.save/1"


def _publish(elements: Iterator[Any], path: str, compression: str | None,
             shard_func: Callable | None) -> Iterator[Any]:
    """Write ``elements`` to record files in ``path`` (``shard_func(element)`` picks the shard),
    yielding each once written, then ``dataset_spec.json``, which makes them a saved dataset;
    a run left early removes its files."""
    shards = storage.ShardWriters(path, compression)
    try:
        for element in elements:
            shards.write(0 if shard_func is None else int(_to_numpy(_call(shard_func, element))),
                         element)
            yield element
    except BaseException:
        shards.abort()
        raise
    names = shards.commit()
    storage.write_json_atomic(os.path.join(path, _SPEC_FILE), {
        "format": _FORMAT, "compression": compression,
        "cardinality": sum(n for _, n in names), "shards": names})
    kept = {n for n, _ in names}
    for f in glob.glob(os.path.join(glob.escape(path), "shard-*.tgds")):
        if os.path.basename(f) not in kept:
            os.remove(f)  # a previous save's shards
