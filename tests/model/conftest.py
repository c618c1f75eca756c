"""Fixtures for the Qt-free model's tests."""

from __future__ import annotations

import pytest

from nngui.model import ExperimentModel


@pytest.fixture
def model():
    """A fresh experiment model that keeps every change it reports in ``model.events``."""
    m = ExperimentModel()
    m.events = []
    m.changed.connect(m.events.append)
    return m
