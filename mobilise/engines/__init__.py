"""Engines: the heavy computation, as plain Python + NumPy/SciPy with no Django import.

Each engine follows scikit-learn's conventions: ``__init__`` stores hyperparameters only,
``fit(data)`` validates, computes and returns ``self``, and anything learned from data ends in ``_``.
The web apps call them; so does the ``mobilise`` CLI, on plain files.
"""
