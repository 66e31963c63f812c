"""Keras 3's object configs: ``serialize_keras_object`` / ``deserialize_keras_object`` and the
registry of custom classes (``keras.saving.register_keras_serializable``).

A serialized object is Keras 3's dictionary ``{"module", "class_name", "config",
"registered_name"}`` (plus ``build_config`` for a layer), so a ``config.json`` written by Keras
reads here and ours reads in Keras. A class is found from, in order: ``custom_objects``
(given, then the ``custom_object_scope``s, then ``get_custom_objects()``), the registry of
``register_keras_serializable``, the models (registered by ``models.py``), then Keras's module
named in the dictionary (``keras.layers``, ``keras.initializers`` …). Nothing is ever evaluated
or unpickled: a config is plain JSON and a Python function is found by its registered name.
"""

from __future__ import annotations

import inspect
import operator
import threading
from typing import Any, Callable, Iterator

import numpy as np

from ..engine.tensor import _Base
from ..engine.variable import Variable
from . import activations, constraints, initializers, layers, losses, metrics, mixed_precision
from . import optimizers, regularizers
from .base_layer import Layer
from .keras_tensor import _Operation, symbolic_call
from .layers.core.input_layer import InputLayer
from .saved_operations import (anonymous_function_entry, constant_entry, constant_from,
                               is_operation_entry, lambda_function_from, operation_entry,
                               operation_from)
from .optimizers.schedules import LearningRateSchedule

__all__ = ["register_keras_serializable", "get_registered_name", "get_registered_object",
           "get_custom_objects", "CustomObjectScope", "custom_object_scope",
           "serialize_keras_object", "deserialize_keras_object", "register_builtin",
           "layer_config"]

_LOCK = threading.Lock()
_REGISTERED: dict[str, Any] = {}   # "Package>Name" -> class or function
_NAMES: dict[int, str] = {}        # id(class or function) -> "Package>Name"
_CUSTOM: dict[str, Any] = {}       # get_custom_objects(): the user's global dictionary
_BUILTINS: dict[str, Any] = {}     # Sequential, Functional, Model (registered by models.py)
_SCOPES = threading.local()        # the custom_object_scope stack of this thread

_MODULES = {"keras.layers": layers, "keras.initializers": initializers,
            "keras.regularizers": regularizers, "keras.constraints": constraints,
            "keras.optimizers": optimizers, "keras.optimizers.schedules": optimizers.schedules,
            "keras.losses": losses, "keras.metrics": metrics, "keras.activations": activations}
# Layer options of Keras 3 that tapegrad does not have: dropped on loading at these values
_KERAS_ONLY = {"quantization_config": None, "lora_rank": None, "lora_alpha": None,
               "sparse": False, "ragged": False, "optional": False, "input_axes": None,
               "output_axes": None, "synchronized": False, "rms_scaling": False,
               "sliding_window": None, "use_gate": False}


def register_keras_serializable(package: str = "Custom", name: str | None = None) -> Callable:
    """A decorator that registers a class or function under ``"package>name"`` so that
    ``load_model`` finds it (``keras.saving.register_keras_serializable``).

    >>> import tapegrad as tf
    >>> @tf.keras.saving.register_keras_serializable(package="demo")
    ... class Twice(tf.keras.layers.Layer):
    ...     def call(self, x):
    ...         return 2 * x
    >>> tf.keras.saving.get_registered_name(Twice)
    'demo>Twice'
    """
    if "|" in package or ">" in package:
        raise ValueError(f"register_keras_serializable: package may not contain '>' or '|', "
                         f"got {package!r}.")

    def decorate(obj: Any) -> Any:
        key = f"{package}>{name or obj.__name__}"
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError(f"register_keras_serializable: {obj.__name__} has no get_config(); "
                             f"a registered class must define it to be saved.")
        with _LOCK:
            _REGISTERED[key] = obj
            _NAMES[id(obj)] = key
        return obj

    return decorate


def get_registered_name(obj: Any) -> str:
    """``"package>name"`` for a registered class or function, else its ``__name__``."""
    return _NAMES.get(id(obj), getattr(obj, "__name__", type(obj).__name__))


def get_custom_objects() -> dict:
    """The global dictionary of custom objects (name -> class or function); edit it in place.

    >>> import tapegrad as tf
    >>> isinstance(tf.keras.saving.get_custom_objects(), dict)
    True
    """
    return _CUSTOM


class CustomObjectScope:
    """``with custom_object_scope({"MyLayer": MyLayer}):`` makes the names visible to loading
    inside the block (on this thread).

    >>> import tapegrad as tf
    >>> with tf.keras.saving.custom_object_scope({"twice": lambda x: 2 * x}):
    ...     tf.keras.saving.get_registered_object("twice")(3)
    6
    """

    def __init__(self, *objects: dict):
        self.objects: dict = {}
        for d in objects:
            self.objects.update(d or {})

    def __enter__(self) -> CustomObjectScope:
        _scopes().append(self.objects)
        return self

    def __exit__(self, *exc: Any) -> None:
        _scopes().pop()


custom_object_scope = CustomObjectScope


def _scopes() -> list:
    if not hasattr(_SCOPES, "stack"):
        _SCOPES.stack = []
    return _SCOPES.stack


def register_builtin(name: str, obj: Any) -> None:
    """Let a config's ``class_name`` ``name`` find ``obj`` (models.py registers its models)."""
    with _LOCK:
        _BUILTINS[name] = obj


def get_registered_object(name: str, custom_objects: dict | None = None,
                          module_objects: dict | None = None) -> Any:
    """The class or function known under ``name``, or None (the lookup order is the module's)."""
    for table in _lookup_tables(custom_objects):
        if name in table:
            return table[name]
    return (module_objects or {}).get(name)


def _lookup_tables(custom_objects: dict | None) -> Iterator[dict]:
    yield custom_objects or {}
    yield from reversed(_scopes())
    yield _CUSTOM
    yield _REGISTERED


# -- serializing ---------------------------------------------------------------------------------
def _module_of(obj: Any) -> str:
    cls = type(obj)
    if id(cls) in _NAMES or not cls.__module__.startswith("tapegrad."):
        return cls.__module__
    for module, kind in (("keras.layers", Layer), ("keras.initializers", initializers.Initializer),
                         ("keras.regularizers", regularizers.Regularizer),
                         ("keras.constraints", constraints.Constraint),
                         ("keras.optimizers.schedules", LearningRateSchedule),
                         ("keras.optimizers", optimizers.Optimizer),
                         ("keras.losses", losses.Loss), ("keras.metrics", metrics.Metric)):
        if isinstance(obj, kind):
            return "keras" if hasattr(obj, "fit") else module
    return "keras"


def _function(fn: Callable) -> Any:
    if id(fn) in _NAMES:
        return {"module": "builtins", "class_name": "function", "config": _NAMES[id(fn)],
                "registered_name": "function"}
    name = getattr(fn, "__name__", None)
    if name and (getattr(activations, name, None) is fn or getattr(losses, name, None) is fn
                 or getattr(metrics, name, None) is fn):
        return name
    if name == "<lambda>":  # Keras's record of the code; tapegrad never reads it back
        return serialize_keras_object(anonymous_function_entry(fn))
    if name and name.isidentifier():  # by name, as Keras: loading needs custom_objects
        return {"module": "builtins", "class_name": "function", "config": name,
                "registered_name": "function"}
    raise ValueError(f"Cannot save the function {fn!r}: register it with "
                     f"@keras.saving.register_keras_serializable().")


def serialize_keras_object(obj: Any) -> Any:
    """Keras 3's JSON-ready form of ``obj`` (a layer, model, optimizer, initializer, …).

    >>> import tapegrad as tf
    >>> cfg = tf.keras.saving.serialize_keras_object(tf.keras.initializers.Constant(0.5))
    >>> cfg["module"], cfg["class_name"], cfg["config"]
    ('keras.initializers', 'Constant', {'value': 0.5})
    """
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, (np.generic, np.ndarray, _Base, Variable)):
        return np.asarray(obj).tolist()
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): serialize_keras_object(v) for k, v in obj.items()}
    if isinstance(obj, mixed_precision.Policy):
        return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": obj.name},
                "registered_name": None}
    if not hasattr(obj, "get_config"):
        if callable(obj):
            return _function(obj)
        raise TypeError(f"Cannot serialize {type(obj).__name__} {obj!r}: it has no "
                        f"get_config().")
    if hasattr(obj, "fit") and isinstance(obj, Layer):
        return _serialize_model(obj)
    config = layer_config(obj) if isinstance(obj, Layer) else obj.get_config()
    if isinstance(obj, initializers.Initializer):
        config = _init_arguments(obj)
        if isinstance(obj, (initializers.Zeros, initializers.Ones)):
            config = {}  # Keras 3's constant initializers take no seed
    out = {"module": _module_of(obj), "class_name": type(obj).__name__,
           "config": serialize_keras_object(config),
           "registered_name": _NAMES.get(id(type(obj)))}
    if isinstance(obj, Layer) and not isinstance(obj, InputLayer) and obj.built:
        out["build_config"] = {"input_shape": serialize_keras_object(
            obj.__dict__.get("_built_input_shape"))}
    return out


def _serialize_model(model: Any) -> dict:
    config = _model_config(model)
    functional = "input_layers" in config
    plain = type(model) is _BUILTINS.get("Model")
    out = {"module": "keras.src.models.functional" if functional and plain else
           _module_of(model),
           "class_name": "Functional" if functional and plain else type(model).__name__,
           "config": serialize_keras_object(config),
           "registered_name": "Functional" if functional and plain else
           _NAMES.get(id(type(model)))}
    shape = None if functional else (config.get("build_input_shape") or
                                      model.__dict__.get("_built_input_shape"))
    if model.built:
        out["build_config"] = {"input_shape": serialize_keras_object(shape)}
    return out


def layer_config(layer: Layer) -> dict:
    """``layer.get_config()``; for a user's layer class, completed with the ``__init__``
    arguments it leaves out, read from attributes of the same name (every built-in layer's
    ``get_config`` names all its arguments itself).

    >>> import tapegrad as tf
    >>> cfg = layer_config(tf.keras.layers.Dense(3, activation="relu", name="d"))
    >>> cfg["name"], cfg["units"], cfg["activation"]
    ('d', 3, 'relu')
    """
    if isinstance(layer, InputLayer):
        shape = layer._build_input_shape
        return {"batch_shape": list(shape), "dtype": layer.dtype, "name": layer.name}
    config = dict(layer.get_config())
    if "dtype" in config and isinstance(config["dtype"], str):
        config["dtype"] = layer.dtype_policy
    if not _custom(type(layer)):
        return config
    skip = {"self", "input_shape", "input_dim", "kwargs"}
    for name, p in inspect.signature(type(layer).__init__).parameters.items():
        if name in config or name in skip or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if name in vars(layer):
            config[name] = vars(layer)[name]
    return config


def _init_arguments(obj: Any) -> dict:
    """The ``__init__`` arguments of ``obj`` that it stores under their own names."""
    params = inspect.signature(type(obj).__init__).parameters
    return {k: vars(obj)[k] for k, p in params.items()
            if k != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and k in vars(obj)}


# -- deserializing -------------------------------------------------------------------------------
def _is_serialized(value: Any) -> bool:
    return isinstance(value, dict) and "class_name" in value and "config" in value


def _revive(value: Any, custom_objects: dict | None) -> Any:
    """Deserialize the objects nested in a config (initializers, regularizers, layers …)."""
    if _is_serialized(value):
        if value["class_name"] == "__keras_tensor__":
            return value
        return deserialize_keras_object(value, custom_objects)
    if isinstance(value, list):
        return [_revive(v, custom_objects) for v in value]
    if isinstance(value, dict):
        return {k: _revive(v, custom_objects) for k, v in value.items()}
    return value


def _find(config: dict, custom_objects: dict | None) -> Any:
    class_name, registered = config["class_name"], config.get("registered_name")
    for key in (registered, class_name):
        if key:
            found = get_registered_object(key, custom_objects)
            if found is not None:
                return found
    if class_name in _BUILTINS:
        return _BUILTINS[class_name]
    module = _MODULES.get(config.get("module") or "")
    if module is not None and inspect.isclass(getattr(module, class_name, None)):
        return getattr(module, class_name)
    raise ValueError(f"Could not locate class {class_name!r} (module {config.get('module')!r}, "
                     f"registered name {registered!r}). Decorate custom classes and functions "
                     f"with @keras.saving.register_keras_serializable(), or pass them in "
                     f"custom_objects={{{class_name!r}: {class_name}}}.")


def _accepted(cls: Any, config: dict) -> dict:
    """``config`` without the Keras-only options ``cls.__init__`` does not take, which must be
    at their defaults; any other unknown option is an error naming it."""
    params = inspect.signature(cls.__init__).parameters
    takes_kwargs = any(p.kind is p.VAR_KEYWORD for p in params.values())
    base = {"name", "trainable", "dtype"}
    out = {}
    for key, value in config.items():
        if key in params and params[key].kind not in (inspect.Parameter.VAR_POSITIONAL,):
            out[key] = value
        elif key in _KERAS_ONLY and value == _KERAS_ONLY[key]:
            continue
        elif takes_kwargs and key in base | {"activity_regularizer", "autocast"}:
            out[key] = value
        elif key in base or key == "activity_regularizer":
            continue  # a subclass whose __init__ takes no name/dtype: Keras drops them too
        elif not takes_kwargs or issubclass(cls, Layer) and not _custom(cls):
            raise ValueError(f"{cls.__name__}: the saved option {key}={value!r} is not "
                             f"supported by tapegrad's {cls.__name__}.")
        else:
            out[key] = value
    return out


def _custom(cls: Any) -> bool:
    return not cls.__module__.startswith("tapegrad.")


def _function_from(config: dict, custom_objects: dict | None) -> Any:
    name = config["config"]
    found = get_registered_object(name, custom_objects)
    for module in (activations, losses, metrics):
        found = found if found is not None else getattr(module, name, None)
    if found is None:
        raise ValueError(f"Could not locate function {name!r}. Decorate it with "
                         f"@keras.saving.register_keras_serializable(), or pass "
                         f"custom_objects={{{name!r}: {name.split('>')[-1]}}}.")
    return found


def deserialize_keras_object(config: Any, custom_objects: dict | None = None,
                             safe_mode: bool = True, **kwargs: Any) -> Any:
    """The object a ``serialize_keras_object`` dictionary describes (a string stays a string:
    ``compile`` and ``activations.get`` resolve names themselves).

    >>> import tapegrad as tf
    >>> layer = tf.keras.saving.deserialize_keras_object(
    ...     {"module": "keras.layers", "class_name": "Dense", "config": {"units": 3}})
    >>> type(layer).__name__, layer.units
    ('Dense', 3)
    """
    if not _is_serialized(config):
        return config
    if config["class_name"] == "function":
        return _function_from(config, custom_objects)
    if config["class_name"] in ("DTypePolicy", "Policy", "FloatDTypePolicy"):
        return (config["config"] or {}).get("name", "float32")
    if config["class_name"] == "__lambda__":
        raise ValueError("Cannot load an anonymous function from a file: it is stored as "
                         "Python code, which tapegrad never runs from a file.")
    if is_operation_entry(config):
        return operation_from(config)
    if config["class_name"] == "Lambda" and config.get("module") in ("keras.layers", None):
        inner = dict(config["config"] or {})
        inner["function"] = lambda_function_from(
            inner.get("function"), inner.get("name", "lambda"), custom_objects,
            lambda c: _function_from(c, custom_objects))
        config = {**config, "config": inner}
    cls = _find(config, custom_objects)
    if not inspect.isclass(cls):
        return cls
    inner = config["config"] or {}
    if hasattr(cls, "fit") and "input_layers" in inner and not _own_from_config(cls):
        obj = _revive_functional(cls, inner, custom_objects)
    elif hasattr(cls, "fit") and "layers" in inner and issubclass(cls, _BUILTINS["Sequential"]):
        obj = _revive_sequential(cls, inner, custom_objects)
    else:
        obj = _instantiate(cls, inner, custom_objects)
    build = config.get("build_config") or {}
    if isinstance(obj, Layer) and not obj.built and build.get("input_shape") is not None:
        obj.build(_shape(build["input_shape"]))
        if obj.__dict__.get("_built_input_shape") is None:  # kept, so a re-save writes it
            obj._built_input_shape = _shape(build["input_shape"])
        obj.built = True
    return obj


def _shape(value: Any) -> Any:
    if isinstance(value, list) and all(d is None or isinstance(d, int) for d in value):
        return tuple(value)
    return [_shape(v) for v in value] if isinstance(value, list) else value


def _own_from_config(cls: Any) -> bool:
    """Whether the user's class (or a custom base) defines ``from_config``."""
    return any("from_config" in vars(k) for k in cls.__mro__ if _custom(k))


def _instantiate(cls: Any, config: dict, custom_objects: dict | None) -> Any:
    if cls is InputLayer or (isinstance(cls, type) and issubclass(cls, InputLayer)):
        config = dict(config)
        batch_shape = config.pop("batch_shape", None)
        if batch_shape is not None:
            config["shape"], config["batch_size"] = tuple(batch_shape[1:]), batch_shape[0]
    config = {k: _revive(v, custom_objects) for k, v in config.items()}
    if _own_from_config(cls):
        return cls.from_config(config)
    try:
        return cls(**_accepted(cls, config))
    except TypeError as e:
        raise TypeError(f"Unable to revive {cls.__name__} from its config {sorted(config)}: "
                        f"{e}. Define get_config() and from_config() on the class so that "
                        f"from_config(get_config()) rebuilds it.") from None


# -- models --------------------------------------------------------------------------------------
def _model_config(model: Any) -> dict:
    """A Sequential's or a functional model's config as Keras 3 writes it; a subclassed
    model's own ``get_config()``."""
    sequential = _BUILTINS.get("Sequential")
    if sequential is not None and isinstance(model, sequential):
        first = model.__dict__.get("_input_layer")
        config = {"name": model.name, "trainable": model.trainable,
                  "dtype": model.dtype_policy,
                  "layers": ([first] if first is not None else []) + model.layers}
        if first is not None:
            config["build_input_shape"] = list(first._build_input_shape)
        return config
    if model.__dict__.get("_graph") is not None and not _own_get_config(type(model)):
        return _functional_config(model)
    return dict(model.get_config())


def _own_get_config(cls: Any) -> bool:
    return any("get_config" in vars(k) for k in cls.__mro__ if _custom(k))


def _functional_config(model: Any) -> dict:
    graph = model._graph
    in_graph = {id(n) for n in graph.nodes}
    index: dict[int, int] = {}
    for layer in graph.layers:
        own = [n for n in layer.__dict__.get("_inbound_nodes", [])
               if id(n) in in_graph or not (n.args or n.kwargs)]
        index.update({id(n): i for i, n in enumerate(own)})
    operations = [n for n in graph.nodes if isinstance(n.layer, _Operation)]
    index.update({id(n): 0 for n in operations})  # an operator node is its operation's only

    def tensor(kt: Any) -> Any:
        if not hasattr(kt, "_node"):
            return serialize_keras_object(kt)
        node = kt._node
        return {"class_name": "__keras_tensor__",
                "config": {"shape": list(kt.shape), "dtype": kt.dtype,
                           "keras_history": [node.layer.name, index[id(node)],
                                             [id(t) for t in node.output_tensors].index(id(kt))]}}

    def history(kt: Any) -> list:
        return tensor(kt)["config"]["keras_history"]

    entries = []
    for layer in graph.layers:
        entry = serialize_keras_object(layer)
        nodes = [n for n in graph.nodes if n.layer is layer]
        entry.update(name=layer.name, inbound_nodes=[
            {"args": _map_tensors(tensor, list(n.args)), "kwargs": _map_tensors(tensor, n.kwargs)}
            for n in nodes])
        entries.append(entry)
    for node in operations:  # Keras lists them among the layers; a reader orders by inputs
        entries.append({**operation_entry(node.layer), "name": node.layer.name, "inbound_nodes": [
            {"args": _map_tensors(tensor, list(node.args)),
             "kwargs": _map_tensors(tensor, node.kwargs)}]})
    return {"name": model.name, "trainable": model.trainable, "layers": entries,
            "input_layers": _map_tensors(history, graph.inputs),
            "output_layers": _map_tensors(history, graph.outputs)}


def _map_tensors(fn: Callable, value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_map_tensors(fn, v) for v in value]
    if isinstance(value, dict):
        return {k: _map_tensors(fn, v) for k, v in value.items()}
    if getattr(value, "_is_keras_tensor", False):
        return fn(value)
    tagged = constant_entry(value)  # slices, ..., arrays: Keras's tagged records
    return tagged if tagged is not None else serialize_keras_object(value)


def _revive_sequential(cls: Any, config: dict, custom_objects: dict | None) -> Any:
    layer_list = [deserialize_keras_object(c, custom_objects) for c in config.get("layers", [])]
    model = cls(layer_list, name=config.get("name"))
    model.trainable = config.get("trainable", True)
    shape = config.get("build_input_shape")
    if not model.built and shape is not None:
        model.build(tuple(shape))
    return model


def _is_history(value: Any) -> bool:
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and isinstance(value[1], int) and isinstance(value[2], int))


def _revive_functional(cls: Any, config: dict, custom_objects: dict | None) -> Any:
    """Rebuild the graph: create each layer, then call it on the tensors its inbound nodes
    name (``keras_history = [layer, node, tensor]``) as soon as they exist."""
    outputs: dict[tuple, list] = {}
    pending: list[tuple[Layer, dict]] = []
    for entry in config.get("layers", []):
        layer = deserialize_keras_object(entry, custom_objects)
        if isinstance(layer, InputLayer):
            outputs[(entry["name"], 0)] = [layer.output]
        pending.extend((layer, node) for node in entry.get("inbound_nodes", []))
    calls: dict[str, int] = {}

    def lookup(value: Any) -> Any:
        if _is_serialized(value) and value["class_name"] == "__keras_tensor__":
            name, node, i = value["config"]["keras_history"]
            return outputs[(name, node)][i]
        if isinstance(value, list):
            return [lookup(v) for v in value]
        if isinstance(value, dict) and "class_name" not in value:
            return {k: lookup(v) for k, v in value.items()}
        return constant_from(value)

    while pending:
        ready = [(layer, node) for layer, node in pending if _ready(node, outputs)]
        if not ready:
            names = sorted({layer.name for layer, _ in pending})
            raise ValueError(f"load_model: the functional graph in the file cannot be rebuilt: "
                             f"the inputs of layers {names} never become available.")
        layer, node = ready[0]
        pending.remove((layer, node))
        args, kwargs = lookup(node.get("args", [])), lookup(node.get("kwargs", {}))
        if isinstance(layer, _Operation):  # recorded as the saved operation, under its name
            if layer.fn is operator.getitem and isinstance(args[1], list):
                args[1] = tuple(args[1])  # JSON keeps an index tuple as a list
            out = symbolic_call(layer, tuple(args), kwargs)
        else:
            out = layer(*args, **_call_kwargs(layer, kwargs))
        n = calls.get(layer.name, 0)
        calls[layer.name] = n + 1
        outputs[(layer.name, n)] = _flat(out)

    def resolve(spec: Any) -> Any:
        if _is_history(spec):
            return outputs[(spec[0], spec[1])][spec[2]]
        if isinstance(spec, dict):
            return {k: resolve(v) for k, v in spec.items()}
        return [resolve(s) for s in spec]

    return cls(resolve(config["input_layers"]), resolve(config["output_layers"]),
               name=config.get("name"))


def _call_kwargs(layer: Layer, kwargs: dict) -> dict:
    """A node's keyword arguments without the ``None`` ones (Keras writes ``mask=None`` for
    a Lambda) that the layer's ``call`` does not take."""
    params = inspect.signature(layer.call).parameters
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return kwargs
    return {k: v for k, v in kwargs.items() if k in params or v is not None}


def _flat(value: Any) -> list:
    if isinstance(value, (list, tuple)):
        return [x for v in value for x in _flat(v)]
    if isinstance(value, dict):
        return [x for k in sorted(value) for x in _flat(value[k])]
    return [value]


def _ready(node: dict, outputs: dict) -> bool:
    found: list = []

    def walk(value: Any) -> None:
        if _is_serialized(value) and value["class_name"] == "__keras_tensor__":
            name, index, _ = value["config"]["keras_history"]
            found.append((name, index) in outputs)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)

    walk([node.get("args", []), node.get("kwargs", {})])
    return all(found)
