"""Writes of the network app: one module per part (directory, terms, …)."""
