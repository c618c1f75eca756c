# Error: the update written as functions, no optimizer class
def update_params(layer, learning_rate=1.0):
    layer.weights += -learning_rate * layer.dweights
    layer.biases += -learning_rate * layer.dbiases
