"""Recurrent layers."""

from .gru import GRU
from .lstm import LSTM
from .simple_rnn import SimpleRNN
from .bidirectional import Bidirectional
from .time_distributed import TimeDistributed

__all__ = ["Bidirectional", "GRU", "LSTM", "SimpleRNN", "TimeDistributed"]
