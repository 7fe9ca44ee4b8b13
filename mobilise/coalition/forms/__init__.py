"""Coalition forms, by sub-domain: they parse and say what is wrong in plain words; services decide
and write.
"""

from ._common import MYSELF, TimeField
from .exchange import AskForm, ConsentForm, OfferForm, RespondForm
from .membership import DecisionForm, JoinForm
from .pledges import FlagForm, PledgeForm, ProgressForm
from .volunteering import AttendanceForm, NearForm, OpportunityForm, SessionForm, SignUpForm

__all__ = [
    "AskForm",
    "AttendanceForm",
    "ConsentForm",
    "DecisionForm",
    "FlagForm",
    "JoinForm",
    "MYSELF",
    "NearForm",
    "OfferForm",
    "OpportunityForm",
    "PledgeForm",
    "ProgressForm",
    "RespondForm",
    "SessionForm",
    "SignUpForm",
    "TimeField",
]
