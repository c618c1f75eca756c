# Two optimizer classes: which one is meant needs --class
class Optimizer_SGD:
    def __init__(self, learning_rate=1.0):
        self.learning_rate = learning_rate

    def update_params(self, layer):
        layer.weights += -self.learning_rate * layer.dweights
        layer.biases += -self.learning_rate * layer.dbiases


class Optimizer_SGD_Backwards(Optimizer_SGD):
    def update_params(self, layer):
        layer.weights += self.learning_rate * layer.dweights
        layer.biases += self.learning_rate * layer.dbiases
