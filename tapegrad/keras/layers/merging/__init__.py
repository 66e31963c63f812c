"""Merging layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate."""

from .add import Add
from .average import Average
from .concatenate import Concatenate
from .dot import Dot
from .maximum import Maximum
from .minimum import Minimum
from .multiply import Multiply
from .subtract import Subtract

__all__ = ["Add", "Average", "Concatenate", "Dot", "Maximum", "Minimum", "Multiply", "Subtract"]
from .functions import add, average, concatenate, dot, maximum, minimum, multiply, subtract

__all__ += ["add", "average", "concatenate", "dot", "maximum", "minimum", "multiply",
            "subtract"]
