"""Rows read from two totals tables are summed per group and kept in key order, none last."""

from __future__ import annotations

from decimal import Decimal

from financing.totals_grouping import merge_rows


def test_rows_of_two_readings_are_summed_per_group_in_key_order():
    money = [
        {"k_convention": 2, "k_year": 2020, "_planned": Decimal("10.00")},
        {"k_convention": None, "k_year": 2020, "_planned": Decimal("1.00")},
    ]
    paid = [
        {"k_convention": 2, "k_year": 2020, "_paid": Decimal("4.50")},
        {"k_convention": 1, "k_year": 2021, "_paid": Decimal("-3.00")},
    ]

    rows = merge_rows(["convention", "year"], money, paid)

    assert rows == [
        {"k_convention": 1, "k_year": 2021, "_paid": Decimal("-3.00")},
        {"k_convention": 2, "k_year": 2020, "_planned": Decimal("10.00"), "_paid": Decimal("4.50")},
        {"k_convention": None, "k_year": 2020, "_planned": Decimal("1.00")},
    ]


def test_without_keys_the_readings_make_one_row():
    rows = merge_rows([], [{"_planned": Decimal("2.00")}], [{"_planned": Decimal("0.01")}])

    assert rows == [{"_planned": Decimal("2.01")}]
