"""Coalition forms, by sub-domain: they parse and say what is wrong in plain words; services decide
and write.
"""

from ._common import MYSELF, AmountField, TimeField
from .exchange import AskForm, ConsentForm, OfferForm, OnBehalfForm, PledgeOfferForm, RespondForm
from .membership import DecisionForm, JoinForm
from .pledges import FlagForm, PledgeForm, ProgressForm
from .volunteering import AttendanceForm, NearForm, OpportunityForm, SessionForm, SignUpForm

__all__ = [
    "AmountField",
    "AskForm",
    "AttendanceForm",
    "ConsentForm",
    "DecisionForm",
    "FlagForm",
    "JoinForm",
    "MYSELF",
    "NearForm",
    "OfferForm",
    "OnBehalfForm",
    "OpportunityForm",
    "PledgeForm",
    "PledgeOfferForm",
    "ProgressForm",
    "RespondForm",
    "SessionForm",
    "SignUpForm",
    "TimeField",
]
