"""Market-breadth research notes from end-of-day data."""

__version__ = "0.1.0"
