# The lesson's optimizer in other words: -=, no `if self.decay:`, lr / (1 + ...), momentum kept on the optimizer
import numpy


class MyOptimizer:
    def __init__(self, learning_rate=1.0, decay=0.0, momentum=0.0):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.momentum = momentum
        self.iterations = 0
        self.velocity = {}

    def pre_update_params(self):
        self.current_learning_rate = self.learning_rate / (1.0 + self.decay * self.iterations)

    def update_params(self, layer):
        if self.momentum:
            if id(layer) not in self.velocity:
                self.velocity[id(layer)] = (numpy.zeros_like(layer.weights), numpy.zeros_like(layer.biases))
            old_w, old_b = self.velocity[id(layer)]
            new_w = self.momentum * old_w - self.current_learning_rate * layer.dweights
            new_b = self.momentum * old_b - self.current_learning_rate * layer.dbiases
            self.velocity[id(layer)] = (new_w, new_b)
            layer.weights += new_w
            layer.biases += new_b
        else:
            layer.weights -= self.current_learning_rate * layer.dweights
            layer.biases -= self.current_learning_rate * layer.dbiases

    def post_update_params(self):
        self.iterations = self.iterations + 1
