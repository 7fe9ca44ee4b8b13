"""Who may act on which organisation. Each helper returns the object or raises 404 / 403.

Views call these before doing anything else, so the permission rule for a page lives here once
rather than in each view. A missing organisation is a 404 for everyone; an existing one the person
may not manage is a 403 (organisations are public, so there is nothing to hide by pretending
otherwise).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from . import selectors
from .models import Membership, Organisation, User


def _organisation_or_404(slug: str) -> Organisation:
    organisation = selectors.organisation_get(slug=slug)
    if organisation is None:
        raise Http404
    return organisation


def access_organisation_for_admin(user: User, slug: str) -> Organisation:
    """For editing an organisation's details: its own admins, or platform admins."""
    organisation = _organisation_or_404(slug)
    if selectors.user_is_organisation_admin(user, organisation):
        return organisation
    if selectors.user_is_platform_admin(user):
        return organisation
    raise PermissionDenied


def access_organisation_for_member_management(user: User, slug: str) -> Organisation:
    """For adding, changing and removing members: the organisation's own admins only.

    Platform admins look after the platform, not the membership of other people's organisations;
    they can still repair a membership in the Django admin.
    """
    organisation = _organisation_or_404(slug)
    if selectors.user_is_organisation_admin(user, organisation):
        return organisation
    raise PermissionDenied


def access_membership_for_management(user: User, slug: str, membership_id: int) -> Membership:
    organisation = access_organisation_for_member_management(user, slug)
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(organisation=organisation, pk=membership_id)
        .first()
    )
    if membership is None:
        raise Http404
    return membership
