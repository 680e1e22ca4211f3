"""Training pipeline: fine-tune, tune thresholds, evaluate, export and publish a model directory."""
