import factory
from allauth.account.models import EmailAddress

from mobilise.accounts.models import Membership, Organisation, Role, Sector, User, UserRole

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A person who can sign in: their e-mail address is verified unless ``email_verified=False``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            UserRole.objects.create(user=self, role=role)
        if create:
            self.save()

    @factory.post_generation
    def email_verified(self, create, extracted, **kwargs):
        # allauth (with mandatory verification) lets only verified addresses sign in.
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    sector = Sector.PUBLIC_BODY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER


def mission_lead(organisation: Organisation | None = None, **kwargs) -> User:
    """A person with the mission-lead role who belongs to ``organisation``."""
    user = UserFactory(roles=[Role.MISSION_LEAD, Role.RESIDENT], **kwargs)
    MembershipFactory(user=user, organisation=organisation or OrganisationFactory())
    return user


def organisation_admin(organisation: Organisation | None = None, **kwargs) -> User:
    """A person who is an admin member of ``organisation`` (a new one if not given)."""
    user = UserFactory(**kwargs)
    MembershipFactory(
        user=user, organisation=organisation or OrganisationFactory(), role=Membership.Role.ADMIN
    )
    return user
