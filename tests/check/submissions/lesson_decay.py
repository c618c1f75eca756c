# The chapter's Optimizer_SGD_Decay
import numpy as np


class Optimizer_SGD_Decay:
    # Init the optimizer
    # By default, the learning rate is set to 1.0
    def __init__(self, learning_rate = 1., decay = 0.):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.step = 0

    # pre update
    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (1 / (1 +
self.decay * self.step))

    # Update parameters
    def update_params(self, layer):
        layer.weights += -self.current_learning_rate * layer.dweights
        layer.biases += -self.current_learning_rate * layer.dbiases

    # post update
    def post_update_params(self):
        self.step += 1
