"""Vectorised closed-form kernels shared by the models."""
