"""Pieces of the model layer that several models share; no module here is a model."""
