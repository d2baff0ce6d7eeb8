"""Offline tools that build the shipped artifacts: synthetic training data, gazetteer, model."""
