"""Input checks shared by every engine, raising ``ValueError`` with messages a person can act on."""

from collections.abc import Iterable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray


class NotFittedError(ValueError, AttributeError):
    """Raised when a result attribute is read before ``fit``."""


def check_is_fitted(estimator: Any, attributes: Iterable[str]) -> None:
    missing = [a for a in attributes if not hasattr(estimator, a)]
    if missing:
        name = type(estimator).__name__
        raise NotFittedError(
            f"This {name} is not fitted yet: call fit() before reading {', '.join(missing)}."
        )


def check_array(
    values: ArrayLike,
    *,
    name: str = "input",
    ndim: int | None = None,
    dtype: Any = float,
    allow_nan: bool = False,
    min_rows: int = 0,
) -> NDArray[Any]:
    """Return ``values`` as a NumPy array, or raise ``ValueError`` saying what is wrong with it."""
    try:
        array = np.asarray(values, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from exc
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got {array.ndim}.")
    if array.ndim and array.shape[0] < min_rows:
        raise ValueError(f"{name} needs at least {min_rows} row(s), got {array.shape[0]}.")
    if not allow_nan and np.issubdtype(array.dtype, np.floating) and not np.isfinite(array).all():
        raise ValueError(f"{name} contains missing or infinite values.")
    return array


def check_positive(value: float, *, name: str, allow_zero: bool = False) -> float:
    if value < 0 or (value == 0 and not allow_zero):
        bound = "zero or more" if allow_zero else "more than zero"
        raise ValueError(f"{name} must be {bound}, got {value}.")
    return value


def check_choice(value: str, *, name: str, choices: Iterable[str]) -> str:
    options = list(choices)
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(options)}; got {value!r}.")
    return value
