# The chapter's first optimizer: "Build the class Optimizer"
class Optimizer_SGD:
    # Init the optimizer
    # By default, the learning rate is set to 1.0
    def __init__(self, learning_rate = 0.9):
        self.learning_rate = learning_rate

    # Update parameters
    def update_params(self, layer):
        layer.weights += -self.learning_rate * layer.dweights
        layer.biases += -self.learning_rate * layer.dbiases


if __name__ == "__main__":
    raise SystemExit("code under the main guard is not run by the check")
