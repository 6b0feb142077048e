"""A convention's history as one timeline: who (by name), when, what changed, before and after.

The entries of several history tables are merged and paged by the database (a UNION ordered by
date); each source then reads its page's rows with the rows they follow, in one query."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery, Value

from actions.models import Action
from conventions.models import Amendment, Convention
from core.money import format_euros, format_rate
from core.people import person_name
from financing.models import FundingLine, Payment


@dataclass(frozen=True)
class Entry:
    at: datetime.datetime
    who: str
    what: str
    kind: str


def person(user: Any) -> str:
    """A person by their full name; the login only when the account has no name."""
    return person_name(user) or "Traitement automatique"


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    show: Callable[[Any], str] = _show


def _changes(fields: Sequence[Field], row: Any, previous: Any) -> str:
    parts = [
        f"{f.label} : {f.show(getattr(previous, f.name))} → {f.show(getattr(row, f.name))}"
        for f in fields
        if getattr(previous, f.name) != getattr(row, f.name)
    ]
    return " ; ".join(parts)


def _status(choices: Any) -> Callable[[Any], str]:
    return lambda code: str(dict(choices.choices).get(code, code)) if code else "—"


CONVENTION_FIELDS = [
    Field("status", "Statut", _status(Convention.Status)),
    Field("reference", "Référence"),
    Field("title", "Intitulé"),
    Field("start_date", "Début"),
    Field("end_date", "Fin"),
    Field("signature_date", "Signature"),
    Field("total_cost", "Coût global", format_euros),
    Field("cnsa_amount", "Montant CNSA", format_euros),
    Field("rate_cap", "Plafond du taux", format_rate),
    Field("final_report_approved_on", "Bilan final approuvé le"),
]
PAYMENT_FIELDS = [
    Field("status", "Statut", _status(Payment.Status)),
    Field("amount", "Montant", format_euros),
    Field("due_date", "Échéance"),
    Field("paid_on", "Versé le"),
    Field("reference", "Référence comptable"),
]


def _describe_convention(row: Any, previous: Any) -> str:
    if row.history_type == "+":
        return f"Convention créée ({row.get_status_display()})"
    if row.history_type == "-":
        return "Convention supprimée"
    return "Convention modifiée : " + (_changes(CONVENTION_FIELDS, row, previous) or "sans écart")


def _describe_payment(row: Any, previous: Any) -> str:
    name = f"{row.get_kind_display()} de {format_euros(row.amount)}"
    if row.history_type == "+":
        return f"Versement enregistré : {name} ({row.get_status_display().lower()})"
    if row.history_type == "-":
        return f"Versement supprimé : {name}"
    changes = _changes(PAYMENT_FIELDS, row, previous) or "sans écart"
    return f"Versement modifié ({row.get_kind_display().lower()}) : {changes}"


def _describe_line(row: Any, previous: Any) -> str:
    where = f"action {row.action.code}, {row.funder.short_name or row.funder.name}, {row.year}"
    if row.history_type == "+":
        return f"Plan de financement : ligne ajoutée ({where}) : {format_euros(row.amount)}"
    if row.history_type == "-":
        return f"Plan de financement : ligne retirée ({where}) : {format_euros(row.amount)}"
    before = format_euros(previous.amount) if previous else "—"
    return f"Plan de financement ({where}) : {before} → {format_euros(row.amount)}"


@dataclass(frozen=True)
class Source:
    kind: str
    rows: Callable[[Convention], QuerySet[Any]]
    related: tuple[str, ...]
    describe: Callable[[Any, Any], str]


SOURCES = [
    Source(
        "convention",
        lambda c: Convention.history.filter(id=c.pk),
        (),
        _describe_convention,
    ),
    Source(
        "payment",
        lambda c: Payment.history.filter(convention_id=c.pk),
        (),
        _describe_payment,
    ),
    Source(
        "funding",
        lambda c: FundingLine.history.filter(
            action_id__in=Action.objects.filter(axis__convention=c).values("pk")
        ),
        ("action", "funder"),
        _describe_line,
    ),
]


class Timeline:
    """A sequence the paginator can count and slice: both go to the database."""

    def __init__(self, convention: Convention) -> None:
        self.convention = convention
        parts = [
            s.rows(convention)
            .values_list(Value(s.kind, output_field=CharField()), "history_id", "history_date")
            .order_by()  # SQLite refuses an ORDER BY inside a UNION's parts
            for s in SOURCES
        ]
        amendments = Amendment.objects.filter(convention=convention).values_list(
            Value("amendment", output_field=CharField()), "id", "created_at"
        )
        self.union = parts[0].union(*parts[1:], amendments.order_by(), all=True)

    def count(self) -> int:
        return self.union.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Entry]:
        keys = list(self.union.order_by("-history_date", "-history_id")[window])
        return _entries(self.convention, keys)


def convention_timeline(*, convention: Convention) -> Timeline:
    return Timeline(convention)


def _entries(convention: Convention, keys: list[tuple[str, int, datetime.datetime]]) -> list[Entry]:
    described: dict[tuple[str, int], Entry] = {}
    for source in SOURCES:
        ids = [pk for kind, pk, _ in keys if kind == source.kind]
        if ids:
            described.update(_source_entries(source, convention, ids))
    amendment_ids = [pk for kind, pk, _ in keys if kind == "amendment"]
    if amendment_ids:
        for amendment in Amendment.objects.filter(pk__in=amendment_ids).select_related(
            "created_by"
        ):
            described[("amendment", amendment.pk)] = Entry(
                amendment.created_at,
                person(amendment.created_by),
                f"Avenant n° {amendment.number} signé le {amendment.signed_on:%d/%m/%Y} : "
                f"coût global {format_euros(amendment.previous_total_cost)} → "
                f"{format_euros(amendment.new_total_cost)}, CNSA "
                f"{format_euros(amendment.previous_cnsa_amount)} → "
                f"{format_euros(amendment.new_cnsa_amount)}",
                "amendment",
            )
    return [described[(kind, pk)] for kind, pk, _ in keys if (kind, pk) in described]


def _source_entries(
    source: Source, convention: Convention, ids: list[int]
) -> dict[tuple[str, int], Entry]:
    history = source.rows(convention)
    previous_id = (
        history.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    previous_ids = (
        history.filter(history_id__in=ids).annotate(prev=Subquery(previous_id)).values("prev")
    )
    rows = {
        r.history_id: r
        for r in history.filter(Q(history_id__in=ids) | Q(history_id__in=previous_ids))
        .select_related("history_user", *source.related)
        .annotate(prev=Subquery(previous_id))
    }
    return {
        (source.kind, hid): Entry(
            rows[hid].history_date,
            person(rows[hid].history_user),
            source.describe(rows[hid], rows.get(rows[hid].prev)),
            source.kind,
        )
        for hid in ids
        if hid in rows
    }
