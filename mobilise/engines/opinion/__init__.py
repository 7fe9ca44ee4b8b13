"""Opinion engine: Pol.is-style opinion groups, maps and statement statistics for deliberation.

``OpinionEngine().fit(votes)`` takes a ``VoteMatrix`` (participants x statements; agree +1,
disagree -1, pass 0, unseen absent; with moderated-out and meta statements) and finds who is
clustered, a 2-D map, opinion groups, each group's representative statements, consensus,
group-aware consensus and statement-routing priority. ``partial_fit`` adds votes and updates
warm. ``read_polis_export`` / ``write_polis_export`` speak Pol.is's export format,
``polis_in_conv`` rebuilds who Pol.is had clustered from a timestamped vote log, and
``mobilise.engines.opinion.cli`` is the command-line front end. See docs/opinion-engine.md.
"""

from ._stats import ConsensusStatement, RepresentativeStatement, adjusted_rand_index
from .engine import OpinionEngine
from .history import POLIS_COUNT_FIX_MS, export_in_conv, polis_in_conv
from .polis_io import (
    PolisComment,
    PolisExport,
    PolisFormatError,
    VoteLog,
    read_polis_export,
    write_polis_export,
)
from .results import NOT_ENOUGH_DISAGREEMENT, GroupVotes, OpinionResult
from .votes import AGREE, DISAGREE, MIN_VOTES, PASS, VoteMatrix

__all__ = [
    "AGREE",
    "POLIS_COUNT_FIX_MS",
    "DISAGREE",
    "MIN_VOTES",
    "NOT_ENOUGH_DISAGREEMENT",
    "PASS",
    "ConsensusStatement",
    "GroupVotes",
    "OpinionEngine",
    "OpinionResult",
    "PolisComment",
    "PolisExport",
    "PolisFormatError",
    "RepresentativeStatement",
    "VoteLog",
    "VoteMatrix",
    "adjusted_rand_index",
    "export_in_conv",
    "polis_in_conv",
    "read_polis_export",
    "write_polis_export",
]
