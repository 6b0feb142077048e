"""The conventions app's models, one module per entity family; imported from here."""

from conventions.models.conventions import (
    Amendment,
    AmendmentQuerySet,
    Convention,
    ConventionQuerySet,
)
from conventions.models.organisations import (
    NON_NEGATIVE,
    Membership,
    MembershipQuerySet,
    Organisation,
    OrganisationQuerySet,
)
from conventions.models.tokens import ApiToken, ApiTokenQuerySet

__all__ = [
    "NON_NEGATIVE",
    "Amendment",
    "AmendmentQuerySet",
    "ApiToken",
    "ApiTokenQuerySet",
    "Convention",
    "ConventionQuerySet",
    "Membership",
    "MembershipQuerySet",
    "Organisation",
    "OrganisationQuerySet",
]
