"""Core of event-classifier: corpus, configuration, model directory and the shared predictor."""

__version__ = "0.1.0"
