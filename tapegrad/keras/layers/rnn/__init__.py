"""Recurrent layers."""

from .gru import GRU
from .lstm import LSTM
from .simple_rnn import SimpleRNN

__all__ = ["GRU", "LSTM", "SimpleRNN"]
