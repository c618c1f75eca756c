"""The live plots: loss, accuracy and learning rate per run, their axes, legend and line styles."""
