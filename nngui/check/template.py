"""The file a student starts from: the chapter's three optimizer classes as stubs to fill in.

Names and signatures as the lesson writes them; every body raises ``NotImplementedError``, so
``nngui check`` says where to begin until each is written.
"""

TEMPLATE = '''\
"""Build the class Optimizer: the chapter's three optimizers, to fill in.

Check one with:  nngui check THIS_FILE.py --class Optimizer_SGD
(then Optimizer_SGD_Decay, then Optimizer_SGD_Decay_Momentum). Each is raced against the
lesson's SGD from the same weights, and the first number that differs is shown.
"""

import numpy as np


class Optimizer_SGD:
    # Init the optimizer
    # By default, the learning rate is set to 1.0
    def __init__(self, learning_rate=0.9):
        raise NotImplementedError("store the learning rate")

    # Update parameters
    def update_params(self, layer):
        raise NotImplementedError("move layer.weights and layer.biases against their gradients")


class Optimizer_SGD_Decay:
    # Init the optimizer
    # By default, the learning rate is set to 1.0
    def __init__(self, learning_rate=1., decay=0.):
        raise NotImplementedError("store learning_rate, current_learning_rate, decay and step")

    # pre update
    def pre_update_params(self):
        raise NotImplementedError("decay the current learning rate")

    # Update parameters
    def update_params(self, layer):
        raise NotImplementedError("move the weights and biases with the current learning rate")

    # post update
    def post_update_params(self):
        raise NotImplementedError("count the step")


class Optimizer_SGD_Decay_Momentum:
    # Init the optimizer
    # By default, the learning rate is set to 1.0
    def __init__(self, learning_rate=1., decay=0., momentum=0.):
        raise NotImplementedError("store learning_rate, current_learning_rate, decay, step and momentum")

    # pre update
    def pre_update_params(self):
        raise NotImplementedError("decay the current learning rate")

    # Update parameters
    def update_params(self, layer):
        raise NotImplementedError("with momentum: keep each update on the layer (weights_momentums, "
                                  "biases_momentums); without: the plain step")

    # post update
    def post_update_params(self):
        raise NotImplementedError("count the step")
'''

#: The classes of ``TEMPLATE``, in the order a student fills them in.
TEMPLATE_CLASSES = ("Optimizer_SGD", "Optimizer_SGD_Decay", "Optimizer_SGD_Decay_Momentum")
