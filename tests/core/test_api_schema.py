"""core.api.schema: error answers per method, decimal patterns, nullable sources, text, ids and
dates as the API reads them."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from rest_framework import serializers

from actions.models import ProgressReport
from core.api.fields import MAX_ID, PLAUSIBLE_DATE_PATTERN
from core.api.schema import (
    NOT_BLANK,
    _source_is_nullable,
    decimal_pattern,
    error_codes,
    text_pattern,
)


@pytest.mark.parametrize(
    ("method", "path", "codes"),
    [
        ("GET", "/api/v1/axes/", {"400", "401", "403", "404", "429"}),
        ("POST", "/api/v1/axes/", {"400", "401", "403", "409", "415", "429"}),
        ("PATCH", "/api/v1/axes/{id}/", {"400", "401", "403", "404", "409", "415", "429"}),
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


@pytest.mark.parametrize(
    ("field", "accepted", "refused"),
    [
        (serializers.CharField(), [" a ", "é"], ["", "   ", "a\x00"]),
        (serializers.CharField(allow_blank=True), ["", "  ", "a"], ["\x00", "a\x00b"]),
        (serializers.CharField(trim_whitespace=False), [" "], ["", "\x00"]),
    ],
)
def test_text_is_described_as_drf_reads_it(field, accepted, refused):
    pattern = re.compile(text_pattern(field))

    assert all(pattern.search(text) for text in accepted)
    assert not any(pattern.search(text) for text in refused)


@pytest.mark.django_db
def test_the_served_schema_types_ids_dates_and_text_as_the_api_reads_them(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    (path_id,) = schema["paths"]["/api/v1/axes/{id}/"]["get"]["parameters"]
    assert path_id["schema"] == {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    axis = schema["components"]["schemas"]["AxisRequest"]["properties"]
    assert (axis["convention"]["minimum"], axis["convention"]["maximum"]) == (1, MAX_ID)
    assert "\\x00" in axis["title"]["pattern"]
    approval = schema["components"]["schemas"]["ApproveFinalReportRequest"]["properties"]
    assert approval["approved_on"]["pattern"] == PLAUSIBLE_DATE_PATTERN
    assert re.fullmatch(PLAUSIBLE_DATE_PATTERN, "2199-12-31")
    assert not re.fullmatch(PLAUSIBLE_DATE_PATTERN, "2200-01-01")
    assert not re.fullmatch(PLAUSIBLE_DATE_PATTERN, "1989-12-31")
    message = schema["components"]["schemas"]["MessageCreateRequest"]
    assert [one["required"] for one in message["anyOf"]] == [["action"], ["report"]]
