"""Inference server: FastAPI app serving a published model directory."""
