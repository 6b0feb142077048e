"""Who may see and do what. Every model's visible_to(user) starts from scope_for(user)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

OFFICER = "officer"
COORDINATOR = "coordinator"
CONTRIBUTOR = "contributor"
READER = "reader"

QS = TypeVar("QS", bound=QuerySet)
SCOPE_CACHE = "_conventions_scope"  # the attribute a user's Scope is cached in


@dataclass(frozen=True)
class Scope:
    """What one user's memberships open: computed once per request, cached on the user."""

    authenticated: bool = False
    is_global: bool = False
    is_officer: bool = False
    org_ids: frozenset[int] = field(default_factory=frozenset)
    roles: dict[int, str] = field(default_factory=dict)
    # The user's organisations that carry at least one convention: only they can open an action
    # as its convention's porteur, so a union that carries none is matched on the lead alone.
    porteur_ids: frozenset[int] = field(default_factory=frozenset)

    def role_in(self, organisation_id: int | None) -> str | None:
        return self.roles.get(organisation_id) if organisation_id else None


def scope_for(user: User | AnonymousUser | None) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, SCOPE_CACHE, None)
    if cached is not None:
        return cached
    if user.is_superuser:
        # A superuser is an officer everywhere (admin, API, pages): one rule, not one per door.
        scope = Scope(authenticated=True, is_global=True, is_officer=True)
        setattr(user, SCOPE_CACHE, scope)
        return scope
    from django.db.models import Exists, OuterRef

    from conventions.models import Convention, Membership, Organisation

    carries = Convention.objects.filter(beneficiary_id=OuterRef("organisation_id"))
    rows = list(
        Membership.objects.filter(user=user, is_active=True)
        .annotate(porteur=Exists(carries))
        .values_list("organisation_id", "role", "organisation__kind", "porteur")
    )
    funder_rows = [(org, role) for org, role, kind, _ in rows if kind == Organisation.Kind.FUNDER]
    scope = Scope(
        authenticated=True,
        is_global=bool(funder_rows),
        is_officer=any(role == OFFICER for _, role in funder_rows),
        org_ids=frozenset(org for org, *_ in rows),
        roles={org: role for org, role, *_ in rows},
        porteur_ids=frozenset(org for org, _, _, porteur in rows if porteur),
    )
    setattr(user, SCOPE_CACHE, scope)
    return scope


def restrict(
    queryset: QS, user: User | AnonymousUser | None, condition: Callable[[frozenset[int]], Q]
) -> QS:
    """Everything for funder members, nothing for strangers, else `condition(own organisation ids)`."""
    scope = scope_for(user)
    if scope.is_global:
        return queryset.all()
    if not scope.authenticated:
        return queryset.none()
    return queryset.filter(condition(scope.org_ids))


def forget_scope(user: User) -> None:
    if hasattr(user, SCOPE_CACHE):
        delattr(user, SCOPE_CACHE)


def lands_on_portfolio(scope: Scope) -> bool:
    """CNSA's members and readers follow the portfolio; partners who enter progress, their actions."""
    return scope.is_global or (bool(scope.roles) and set(scope.roles.values()) == {READER})


def is_officer(user: User | AnonymousUser | None) -> bool:
    return scope_for(user).is_officer


# --- Money: who sees a convention's amounts ----------------------------------------------------


def money_condition(mine: frozenset[int]) -> Q:
    """Conventions whose money (plan, payments, spending, reports) a partner sees: the porteur's
    own. A union that leads actions sees the convention's header, and only its actions' money."""
    return Q(beneficiary_id__in=mine)


def sees_money(user: User | AnonymousUser | None, *, beneficiary_id: int | None) -> bool:
    """The same rule for one convention already in hand (no query: the scope is cached)."""
    scope = scope_for(user)
    return scope.is_global or (scope.authenticated and beneficiary_id in scope.org_ids)
