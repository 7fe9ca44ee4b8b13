"""Mobilise: mission-led government as a movement."""

__version__ = "0.1.0"
