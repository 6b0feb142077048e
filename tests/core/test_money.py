from decimal import Decimal

from core.money import format_euros, format_rate, rate_percent, round_money


def test_it_rounds_half_up_to_the_cent():
    assert round_money(Decimal("0.125")) == Decimal("0.13")
    assert round_money(Decimal("0.124")) == Decimal("0.12")
    assert round_money(Decimal("-0.125")) == Decimal("-0.13")


def test_the_lyon_rate_is_53_37_percent():
    assert rate_percent(Decimal("427750.00"), Decimal("801500.00")) == Decimal("53.37")


def test_the_rate_goes_above_50_percent_without_a_cap():
    assert rate_percent(Decimal("1103953.00"), Decimal("1809759.00")) == Decimal("61.00")


def test_a_rate_over_a_zero_total_is_undefined():
    assert rate_percent(Decimal("10.00"), Decimal("0.00")) is None


def test_amounts_are_shown_the_french_way():
    assert format_euros(Decimal("1103953")) == "1\u00a0103\u00a0953,00\u00a0€"
    assert format_euros(Decimal("-5.5"), sep=" ") == "-5,50 €"
    assert format_rate(Decimal("53.37")) == "53,37\u00a0%"
