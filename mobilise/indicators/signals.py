"""Signals other apps may listen to without this app importing them.

``observations_changed`` is sent after an import changed, added or removed observations of some
indicators, with ``indicator_ids``: a pilot's evaluation (mobilise.learning), for one, is then
computed again.
"""

from django.dispatch import Signal

observations_changed = Signal()
