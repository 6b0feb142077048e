"""The totals tables: sums of the money rows at eight grains, kept exact by database triggers
(financing.totals_upkeep), rebuilt and checked by `manage.py rebuild_totals`. Never written by the
application; read by financing.totals."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import NullIf

from actions.models import Action
from conventions.models import Convention

PRESENT = ~Q(planned=0) | ~Q(spent=0)  # the rows with money: those the totals show


def _total_field(verbose_name: str) -> models.DecimalField:
    # Sums of 14-digit amounts: two more digits of headroom.
    return models.DecimalField(verbose_name, max_digits=16, decimal_places=2, default=0)


NOT_SPLIT = 0  # funder_key of spending recorded without a funder ("non ventilé")


class Shares(models.Model):
    """Planned (funding lines), the CNSA share of it (lines of the convention's funder) and spent
    (approved spending): the measures of the tables a move regroups."""

    planned = _total_field("prévu")
    cnsa_planned = _total_field("prévu CNSA")
    spent = _total_field("dépensé")

    class Meta:
        abstract = True


class ActionTotal(models.Model):
    """Planned and spent per action, funder and year: kept by database triggers (totals_upkeep),
    rebuilt and checked by `manage.py rebuild_totals`. Never written by the application."""

    action = models.ForeignKey(
        Action, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    funder_key = models.IntegerField("financeur")
    year = models.IntegerField("année")
    planned = _total_field("prévu")
    spent = _total_field("dépensé")

    class Meta:
        verbose_name = "total par action"
        constraints = [
            models.UniqueConstraint(
                fields=["action", "funder_key", "year"],
                name="action_total_unique",
                violation_error_message="Un total existe déjà pour cette action, ce financeur et cette année.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_id} — {self.funder_key} — {self.year}"


class AxisTotal(models.Model):
    """Planned and spent per axis, funder and year (same upkeep as ActionTotal)."""

    axis = models.ForeignKey(
        "axes.Axis", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    funder_key = models.IntegerField("financeur")
    year = models.IntegerField("année")
    planned = _total_field("prévu")
    spent = _total_field("dépensé")

    class Meta:
        verbose_name = "total par axe"
        constraints = [
            models.UniqueConstraint(
                fields=["axis", "funder_key", "year"],
                name="axis_total_unique",
                violation_error_message="Un total existe déjà pour cet axe, ce financeur et cette année.",
            )
        ]
        indexes = [  # a page of axes (and funders) stops at its last group; counted from the index
            models.Index(
                fields=["axis", "funder_key", "year"],
                include=["planned", "spent"],
                condition=PRESENT,
                name="axis_total_present",
            )
        ]

    def __str__(self) -> str:
        return f"{self.axis_id} — {self.funder_key} — {self.year}"


class ConventionTotal(models.Model):
    """Planned, spent and paid per convention, funder and year; payments count under the
    convention's funder, net of reclaims (same upkeep as ActionTotal)."""

    convention = models.ForeignKey(
        Convention, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    funder_key = models.IntegerField("financeur")
    year = models.IntegerField("année")
    planned = _total_field("prévu")
    spent = _total_field("dépensé")
    paid = _total_field("versé")

    class Meta:
        verbose_name = "total par convention"
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "funder_key", "year"],
                name="convention_total_unique",
                violation_error_message="Un total existe déjà pour cette convention, ce financeur et cette année.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.convention_id} — {self.funder_key} — {self.year}"


class ActionSummary(Shares):
    """One row per action, all funders and years, paged through along the index of the actions
    with money (same upkeep as ActionTotal; CNSA: lines of the convention's funder)."""

    action = models.OneToOneField(
        Action, on_delete=models.DO_NOTHING, db_constraint=False, primary_key=True, related_name="+"
    )

    class Meta:
        verbose_name = "total d'une action"
        indexes = [
            models.Index(
                fields=["action"],
                include=["planned", "cnsa_planned", "spent"],
                condition=PRESENT,
                name="action_summary_present",
            )
        ]

    def __str__(self) -> str:
        return str(self.action_id)


class DepartementTotal(Shares):
    """Planned, CNSA share and spent per département (the lead organisation's, else the
    beneficiary's, "" for none), funder and year (same upkeep as ActionTotal)."""

    departement = models.CharField("département", max_length=3, blank=True)
    funder_key = models.IntegerField("financeur")
    year = models.IntegerField("année")

    class Meta:
        verbose_name = "total par département"
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "funder_key", "year"],
                name="departement_total_unique",
                violation_error_message="Un total existe déjà pour ce département, ce financeur et cette année.",
            )
        ]
        indexes = [  # a page of (funder, year, département), "" last, read from the index alone
            models.Index(
                F("funder_key"),
                F("year"),
                NullIf(F("departement"), Value("")),
                include=["departement", "planned", "cnsa_planned", "spent"],
                condition=PRESENT,
                name="departement_total_present",
            )
        ]

    def __str__(self) -> str:
        return f"{self.departement} — {self.funder_key} — {self.year}"


class AxisSummary(Shares):
    """One row per axis, all funders and years (same upkeep as ActionSummary)."""

    axis = models.OneToOneField(
        "axes.Axis",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "total d'un axe"

    def __str__(self) -> str:
        return str(self.axis_id)


class AxisFunderTotal(Shares):
    """One row per axis and funder, all years (same upkeep as AxisSummary)."""

    axis = models.ForeignKey(
        "axes.Axis", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    funder_key = models.IntegerField("financeur")

    class Meta:
        verbose_name = "total par axe et financeur"
        constraints = [
            models.UniqueConstraint(
                fields=["axis", "funder_key"],
                name="axis_funder_total_unique",
                violation_error_message="Un total existe déjà pour cet axe et ce financeur.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.axis_id} — {self.funder_key}"


class DepartementSummary(Shares):
    """One row per département ("" for none), all funders and years (same upkeep as
    DepartementTotal)."""

    departement = models.CharField("département", max_length=3, blank=True, primary_key=True)

    class Meta:
        verbose_name = "total d'un département"

    def __str__(self) -> str:
        return self.departement
