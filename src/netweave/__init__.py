"""Netweave: the system of record and the lens of a network secretariat."""

__version__ = "0.1.0"
