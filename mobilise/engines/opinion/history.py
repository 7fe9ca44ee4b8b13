"""Who Pol.is had clustered, rebuilt from a timestamped vote log.

Pol.is decides who is clustered (``in-conv``) at every math update and never drops anyone
(``math/src/polismath/math/conversation.clj``, ``:in-conv``): a participant joins once they
have voted on at least ``min(7, C)`` of the C statements voted on so far, and while fewer than
15 have joined, the most active of the rest are added. So the set at the end is a function of
the vote history, not of the final votes: an early top-up stays in for good.

Until 31 October 2017 Pol.is also counted the columns of moderated-out statements as votes
(``:user-vote-counts`` read the zeroed-out rating matrix; fixed in commit 30355e11), so in
those years a participant with one real vote could be clustered. Exports of conversations whose
math last ran then group such people, and fitting them without their history leaves them out.

``polis_in_conv`` replays that rule over the log, one update per ``window_seconds`` of votes.
The export does not say when a statement was moderated, so the statements given as moderated
out are treated as moderated from their first vote.
"""

from collections.abc import Hashable, Iterable

import numpy as np
from numpy.typing import NDArray

from .polis_io import PolisExport, VoteLog
from .votes import MIN_VOTES

# 2017-11-01T00:00:00Z in milliseconds: Pol.is's vote-count fix (commit 30355e11, 31 October
# 2017) was live by then.
POLIS_COUNT_FIX_MS = 1_509_494_400_000


def polis_in_conv(
    log: VoteLog,
    moderated_out: Iterable[Hashable] = (),
    *,
    min_votes: int = MIN_VOTES,
    greedy_n: int = 15,
    window_seconds: float = 60.0,
    count_moderated_until_ms: int = POLIS_COUNT_FIX_MS,
) -> NDArray[np.int64]:
    """Participant ids Pol.is would have clustered by the end of ``log``.

    ``moderated_out`` holds the statement ids that are moderated out (or meta). Votes are
    replayed in time order; after each ``window_seconds`` of votes the in-conv rule runs
    (see the module docstring). Updates that end before ``count_moderated_until_ms`` count
    every moderated-out statement that has votes as voted for everyone, as Pol.is then did;
    pass 0 to replay today's rule only. A re-vote does not add to a participant's count.
    Returns the ids in ascending order.
    """
    if len(log.votes) == 0:
        return np.zeros(0, dtype=np.int64)
    if (log.timestamps < 0).any():
        raise ValueError("The vote log has votes without a timestamp, so it cannot be replayed.")
    order = np.argsort(log.timestamps, kind="stable")
    stamps = log.timestamps[order]
    participant_ids, who = np.unique(log.participants[order], return_inverse=True)
    statement_ids, what = np.unique(log.statements[order], return_inverse=True)
    hidden_ids = np.asarray(
        [k.item() if isinstance(k, np.generic) else k for k in moderated_out], dtype=np.int64
    )
    hidden = np.isin(statement_ids, hidden_ids)
    # Only a participant's first vote on a statement adds to their count.
    cell = who.astype(np.int64) * len(statement_ids) + what
    first = np.zeros(len(cell), dtype=bool)
    first[np.unique(cell, return_index=True)[1]] = True

    window = max(int(window_seconds * 1000), 1)
    bucket = (stamps - stamps[0]) // window
    ends = np.r_[np.flatnonzero(np.diff(bucket)) + 1, len(stamps)]

    n = len(participant_ids)
    voted = np.zeros(n, dtype=np.int64)  # distinct statements voted on
    voted_hidden = np.zeros(n, dtype=np.int64)  # of which moderated out
    present = np.zeros(n, dtype=bool)
    statement_seen = np.zeros(len(statement_ids), dtype=bool)
    in_conv = np.zeros(n, dtype=bool)
    start = 0
    for end in ends:
        new = slice(start, end)
        firsts = first[new]
        np.add.at(voted, who[new][firsts], 1)
        np.add.at(voted_hidden, who[new][firsts], hidden[what[new][firsts]])
        present[who[new]] = True
        statement_seen[what[new]] = True
        counts = voted
        if stamps[end - 1] < count_moderated_until_ms:
            # Every moderated-out column with a vote was all zeros, and zeros counted.
            counts = voted - voted_hidden + int((hidden & statement_seen).sum())
        n_statements = int(statement_seen.sum())
        in_conv |= present & (counts >= min(min_votes, n_statements))
        short = greedy_n - int(in_conv.sum())
        if short > 0:
            candidates = np.flatnonzero(present & ~in_conv)
            ranked = candidates[np.argsort(-counts[candidates], kind="stable")]
            in_conv[ranked[:short]] = True
        start = end
    return participant_ids[in_conv]


def export_in_conv(export: PolisExport) -> NDArray[np.int64] | None:
    """``polis_in_conv`` for a Pol.is export, or None when it has no timestamped vote log.

    Moderated-out and meta statements are those the export's ``comments.csv`` marks so
    (Pol.is zeroes both out of the map, so both counted under the old rule).
    """
    log = export.vote_log
    if log is None or len(log.votes) == 0 or (log.timestamps < 0).any():
        return None
    votes = export.votes
    return polis_in_conv(log, votes.statement_ids[votes.moderated_out | votes.meta].tolist())
