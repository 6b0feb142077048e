"""core.api.schema: error answers per method, decimal patterns, nullable sources, blank text."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from rest_framework import serializers

from actions.models import ProgressReport
from core.api.schema import NOT_BLANK, _source_is_nullable, decimal_pattern, error_codes


@pytest.mark.parametrize(
    ("method", "path", "codes"),
    [
        ("GET", "/api/v1/axes/", {"400", "401", "403", "404", "429"}),
        ("POST", "/api/v1/axes/", {"400", "401", "403", "415", "429"}),
        ("PATCH", "/api/v1/axes/{id}/", {"400", "401", "403", "404", "415", "429"}),
        ("DELETE", "/api/v1/axes/{id}/", {"400", "401", "403", "404", "409", "429"}),
    ],
)
def test_the_error_answers_of_an_operation(method, path, codes):
    assert error_codes(method, path) == codes


def test_a_positive_amount_has_no_sign_and_at_least_one_digit():
    pattern = re.compile(decimal_pattern(serializers.DecimalField(14, 2, min_value=Decimal(0))))

    for accepted in ("0", "427750.00", "1.", ".5", "999999999999.99"):
        assert pattern.fullmatch(accepted), accepted
    for refused in ("", ".", "-1", "1.234", "1000000000000"):
        assert not pattern.fullmatch(refused), refused


def test_a_signed_amount_may_be_negative():
    pattern = re.compile(decimal_pattern(serializers.DecimalField(14, 2)))

    assert pattern.fullmatch("-12.50") and not pattern.fullmatch("-")


class ReportOut(serializers.ModelSerializer):
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True)
    convention = serializers.IntegerField(source="action.axis.convention_id", read_only=True)
    everything = serializers.CharField(source="*", read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["submitted_by", "convention", "everything"]


def test_a_read_only_field_through_a_nullable_foreign_key_is_nullable():
    fields = ReportOut().fields

    assert _source_is_nullable(fields["submitted_by"])
    assert not _source_is_nullable(fields["convention"])
    assert not _source_is_nullable(fields["everything"])


def test_not_blank_refuses_exactly_what_str_strip_removes():
    pattern = re.compile(NOT_BLANK)
    spaces = [chr(i) for i in range(0x3001) if chr(i).isspace()]

    assert not [c for c in spaces if pattern.search(c)]
    assert pattern.search(" a ") and pattern.search("\ufeff")
