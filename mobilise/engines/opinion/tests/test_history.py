"""Rebuilding Pol.is's clustered set from a vote log (history.polis_in_conv)."""

from collections.abc import Iterable

import numpy as np
import pytest

from mobilise.engines.opinion import POLIS_COUNT_FIX_MS, VoteLog, polis_in_conv

MINUTE = 60_000
LATE = POLIS_COUNT_FIX_MS + 10 * MINUTE  # after Pol.is fixed its vote count
EARLY = POLIS_COUNT_FIX_MS - 1_000 * MINUTE  # before


def _log(rows: list[tuple[int, int, int]]) -> VoteLog:
    """(time in ms, participant, statement) triplets; every vote is an agree."""
    stamps, people, statements = zip(*rows, strict=True)
    return VoteLog(
        np.asarray(stamps, np.int64),
        np.asarray(people, np.int64),
        np.asarray(statements, np.int64),
        np.ones(len(rows), np.int8),
    )


def _voters(
    start: int, people: Iterable[int], statements: Iterable[int]
) -> list[tuple[int, int, int]]:
    chosen = list(statements)
    return [(start + s, p, s) for p in people for s in chosen]


def test_seven_votes_join_and_fewer_do_not() -> None:
    # 20 participants vote on all 10 statements; participant 99 votes on 6 of them.
    rows = _voters(LATE, range(20), range(10)) + _voters(LATE, range(99, 100), range(6))
    assert 99 not in polis_in_conv(_log(rows)).tolist()
    rows += [(LATE + MINUTE, 99, 6)]  # a seventh vote
    assert 99 in polis_in_conv(_log(rows)).tolist()


def test_a_revote_does_not_count_twice() -> None:
    rows = _voters(LATE, range(20), range(10)) + _voters(LATE, range(99, 100), range(6))
    rows += [(LATE + MINUTE, 99, 0)]  # votes again on statement 0
    assert 99 not in polis_in_conv(_log(rows)).tolist()


def test_an_early_top_up_stays_in() -> None:
    # Early on only 3 people have voted, so all are topped up to make 15 (Pol.is's greedy
    # rule). Person 2 voted once; later 20 others vote on everything: 2 stays clustered.
    early = [(LATE, 0, 0), (LATE, 0, 1), (LATE, 1, 0), (LATE, 2, 0)]
    later = _voters(LATE + 10 * MINUTE, range(10, 30), range(10))
    found = polis_in_conv(_log(early + later)).tolist()
    assert {0, 1, 2} <= set(found)
    # Without the history the top-up would not be needed: 2 has 1 vote of the 10 statements.
    assert 2 not in polis_in_conv(_log(later + [(LATE + 20 * MINUTE, 2, 0)])).tolist()


def test_before_the_2017_fix_moderated_out_columns_counted() -> None:
    # 20 people vote on 10 statements, 6 of which are moderated out. Person 99 votes once.
    hidden = range(4, 10)
    for when, expected in ((EARLY, True), (LATE, False)):
        rows = _voters(when, range(20), range(10)) + [(when + MINUTE, 99, 0)]
        found = polis_in_conv(_log(rows), moderated_out=hidden).tolist()
        # 1 real vote + 6 zeroed columns = 7 counted before the fix; 1 after it.
        assert (99 in found) is expected


def test_ids_come_back_sorted_and_untimed_logs_are_refused() -> None:
    rows = _voters(LATE, [5, 3, 4], range(3))
    assert polis_in_conv(_log(rows)).tolist() == [3, 4, 5]
    untimed = _log([(-1, 1, 0)])
    with pytest.raises(ValueError, match="without a timestamp"):
        polis_in_conv(untimed)
