"""Recurrent layers."""

from .gru import GRU
from .lstm import LSTM
from .simple_rnn import SimpleRNN
from .bidirectional import Bidirectional

__all__ = ["Bidirectional", "GRU", "LSTM", "SimpleRNN"]
