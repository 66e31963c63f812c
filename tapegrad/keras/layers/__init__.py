"""Keras layers (``tf.keras.layers``), one layer a file, grouped by kind as Keras 3 groups them."""

from ..base_layer import Layer
from .core import Dense, EinsumDense, Embedding, Identity, Input, InputLayer, Lambda, Masking
from .attention import AdditiveAttention, Attention, MultiHeadAttention
from .activations import ELU, Activation, LeakyReLU, PReLU, ReLU, Softmax
from .regularization import (Dropout, GaussianDropout, GaussianNoise, SpatialDropout1D,
                             SpatialDropout2D, SpatialDropout3D)
from .reshaping import (Cropping1D, Cropping2D, Cropping3D, Flatten, Permute, RepeatVector,
                        Reshape, UpSampling1D, UpSampling2D, UpSampling3D, ZeroPadding1D,
                        ZeroPadding2D, ZeroPadding3D)
from .normalization import (BatchNormalization, GroupNormalization, LayerNormalization,
                            UnitNormalization)
from .convolutional import (Conv1D, Conv1DTranspose, Conv2D, Conv2DTranspose, Conv3D,
                            Conv3DTranspose, DepthwiseConv1D, DepthwiseConv2D, SeparableConv1D,
                            SeparableConv2D)
from .merging import Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract
from .merging import add, average, concatenate, dot, maximum, minimum, multiply, subtract
from .preprocessing import (CategoryEncoding, CenterCrop, Discretization, Normalization,
                            RandomContrast, RandomCrop, RandomFlip, RandomRotation,
                            RandomTranslation, RandomZoom, Rescaling, Resizing)
from .rnn import (GRU, LSTM, RNN, Bidirectional, GRUCell, LSTMCell, SimpleRNN, SimpleRNNCell,
                  StackedRNNCells, TimeDistributed)
from .pooling import (AveragePooling1D, AveragePooling2D, AveragePooling3D,
                      GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D,
                      GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D, MaxPooling1D,
                      MaxPooling2D, MaxPooling3D)

__all__ = ["Layer", "Input", "InputLayer", "Dense", "Activation", "Dropout", "Flatten",
           "Reshape", "Embedding",
           "LayerNormalization", "BatchNormalization", "Conv1D", "Conv2D", "MaxPooling2D",
           "AveragePooling2D", "GlobalAveragePooling2D",
           "Add", "Average", "Concatenate", "Maximum", "Minimum", "Multiply", "Subtract",
           "Identity", "Lambda", "ELU", "LeakyReLU", "ReLU", "Softmax", "Permute",
           "RepeatVector", "GRU", "LSTM", "SimpleRNN",
           "Bidirectional", "Dot", "UpSampling2D", "ZeroPadding2D", "AveragePooling1D",
           "GlobalAveragePooling1D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "MaxPooling1D",
           "PReLU", "UnitNormalization", "TimeDistributed", "GaussianNoise",
           "SpatialDropout1D", "SpatialDropout2D", "Normalization", "Rescaling",
           "Masking", "EinsumDense", "Attention", "AdditiveAttention", "MultiHeadAttention",
           "RNN", "SimpleRNNCell", "LSTMCell", "GRUCell", "StackedRNNCells",
           "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "DepthwiseConv1D",
           "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D",
           "AveragePooling3D", "MaxPooling3D", "GlobalAveragePooling3D", "GlobalMaxPooling3D",
           "Cropping1D", "Cropping2D", "Cropping3D", "UpSampling1D", "UpSampling3D",
           "ZeroPadding1D", "ZeroPadding3D", "GroupNormalization",
           "CategoryEncoding", "CenterCrop", "Discretization", "RandomContrast", "RandomCrop",
           "RandomFlip", "RandomRotation", "RandomTranslation", "RandomZoom", "Resizing",
           "GaussianDropout", "SpatialDropout3D",
           "add", "average", "concatenate", "dot", "maximum", "minimum", "multiply", "subtract"]
