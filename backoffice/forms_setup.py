"""Forms of the guided set-up: they shape input; the rules are the services' (axis_save,
action_save, indicator_save, convention_save, convention_sign)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from actions.models import Action, Indicator
from axes.models import Axis
from backoffice.forms_payments import ServiceErrorsMixin, date_field
from conventions.models import Convention, Organisation

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_ERRORS = {"invalid": "Saisissez un montant en euros, par exemple 1 250,50."}


class SetupForm(ServiceErrorsMixin, forms.ModelForm):
    """French messages for the usual refusals; amounts read the French way (1 250,50)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.setdefault("required", "Ce champ est obligatoire.")
            if isinstance(field, forms.DecimalField):
                field.localize = True
                field.widget.is_localized = True
                field.widget.input_type = "text"
                field.widget.attrs["inputmode"] = "decimal"
                field.error_messages.update(MONEY_ERRORS)
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = "Saisissez une date au format JJ/MM/AAAA."

    def preset(self, name: str, value: Any) -> None:
        """A value proposed to a new object: the instance's empty fields would hide a field's
        own `initial`."""
        if self.initial.get(name) in (None, ""):
            self.initial[name] = value

    def limit(self, name: str, queryset: QuerySet) -> QuerySet:
        cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset
        return queryset


class ConventionForm(SetupForm):
    class Meta:
        model = Convention
        fields = [
            "reference",
            "title",
            "funder",
            "beneficiary",
            "start_date",
            "end_date",
            "total_cost",
            "cnsa_amount",
            "rate_cap",
            "objet",
        ]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}
        help_texts = {
            "total_cost": "Peut rester à 0 : le plan de financement le reporte.",
            "cnsa_amount": "Peut rester à 0 : le plan de financement le reporte.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.only("pk", "name", "short_name", "kind")
        funders = self.limit("funder", organisations.filter(kind=Organisation.Kind.FUNDER))
        self.limit("beneficiary", organisations.exclude(kind=Organisation.Kind.FUNDER))
        if not self.instance.pk:
            self.preset("funder", getattr(funders.first(), "pk", None))
            self.preset("total_cost", 0)
            self.preset("cnsa_amount", 0)


class AxisForm(SetupForm):
    class Meta:
        model = Axis
        fields = ["number", "title", "objective"]
        widgets = {"objective": forms.Textarea(attrs={"rows": 3})}

    def clean_number(self) -> int:
        number = self.cleaned_data["number"]
        taken = Axis.objects.filter(convention_id=self.instance.convention_id, number=number)
        if taken.exclude(pk=self.instance.pk).exists():
            raise ValidationError("Ce numéro d'axe existe déjà dans la convention.")
        return number


class ActionForm(SetupForm):
    class Meta:
        model = Action
        fields = [
            "axis",
            "code",
            "title",
            "lead_organisation",
            "start_date",
            "end_date",
            "means",
            "description",
        ]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, convention: Convention, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit("axis", Axis.objects.filter(convention=convention))
        self.limit(
            "lead_organisation",
            Organisation.objects.exclude(kind=Organisation.Kind.FUNDER).only(
                "pk", "name", "short_name"
            ),
        )
        self.fields["lead_organisation"].help_text = "Souvent une union départementale."
        if not self.instance.pk:
            self.preset("start_date", convention.start_date)
            self.preset("end_date", convention.end_date)
            self.preset("lead_organisation", convention.beneficiary_id)

    def clean(self) -> dict:
        data = super().clean() or {}
        axis, code = data.get("axis"), data.get("code")
        taken = Action.objects.filter(axis=axis, code=code).exclude(pk=self.instance.pk)
        if axis and code and taken.exists():
            self.add_error("code", "Ce code d'action existe déjà dans cet axe.")
        return data

    def validate_unique(self) -> None:
        """The code's uniqueness is said on the code field (clean), not above the form."""


class IndicatorForm(SetupForm):
    class Meta:
        model = Indicator
        fields = ["action", "label", "unit", "baseline", "target"]

    def __init__(self, *args: Any, convention: Convention, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit(
            "action",
            Action.objects.filter(axis__convention=convention).order_by("axis__number", "code"),
        )


class SignForm(ServiceErrorsMixin, forms.Form):
    signature_date = date_field("Date de signature")
    confirm = forms.BooleanField(
        label="Je confirme que la convention est signée par la CNSA et le porteur ; ses montants "
        "ne changeront plus que par avenant.",
        error_messages={"required": "Cochez la case pour confirmer la signature."},
    )
