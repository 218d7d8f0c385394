"""Parameter checks shared by the metric functions: bad parameters are programming errors."""

from __future__ import annotations

import numbers


def window(name: str, value: int, minimum: int = 1) -> int:
    """``value`` as an int, or ValueError when it is not a whole number >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)


def fraction(name: str, value: float) -> float:
    """A smoothing factor in (0, 1], or ValueError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value <= 1:
        raise ValueError(f"{name} must be a number in (0, 1], got {value!r}")
    return float(value)


def positive(name: str, value: float) -> float:
    """A finite number > 0, or ValueError."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if not ok or not 0 < float(value) < float("inf"):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(value)
