"""``keras.datasets``: Keras's standard data sets, read from the local cache
(``~/.keras/datasets``), never from the network."""

from . import (boston_housing, california_housing, cifar10, cifar100, fashion_mnist, imdb,
               mnist, reuters)

__all__ = ["boston_housing", "california_housing", "cifar10", "cifar100", "fashion_mnist",
           "imdb", "mnist", "reuters"]
