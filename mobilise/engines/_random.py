"""The one way engines get randomness: from a ``random_state`` argument, never NumPy's global state."""

import numbers

import numpy as np


def check_random_state(seed: None | int | np.random.Generator) -> np.random.Generator:
    """Turn ``seed`` into a ``numpy.random.Generator``.

    ``None`` gives a fresh unseeded generator, an int a seeded one, and a Generator is passed through,
    so a caller that wants repeatable results passes an int.
    """
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        return np.random.default_rng(int(seed))
    raise ValueError(f"random_state must be None, an int or a numpy Generator; got {seed!r}.")
