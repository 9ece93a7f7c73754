"""Reads of the network app: one module per part (directory, …). Always scoped by the user."""
