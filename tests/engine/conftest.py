"""What the engine's tests share."""

import pytest

from nngui.engine import SGD


class RecordingSGD(SGD):
    """SGD that notes each call of the lesson's protocol in ``log``: "pre", ("update", layer), "post"."""

    def __init__(self, log, *args):
        super().__init__(*args)
        self.log = log

    def pre_update_params(self):
        self.log.append("pre")
        super().pre_update_params()

    def update_params(self, layer):
        self.log.append(("update", id(layer)))
        super().update_params(layer)

    def post_update_params(self):
        self.log.append("post")
        super().post_update_params()


@pytest.fixture
def recording_sgd():
    """The class ``RecordingSGD``: ``recording_sgd(log, learning_rate, decay, momentum)``."""
    return RecordingSGD
