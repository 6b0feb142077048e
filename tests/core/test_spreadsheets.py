import datetime
from decimal import Decimal

import pytest

from core.spreadsheets import neutralise_cell


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://x")', "+33 1", "-2+3", "@SUM(A1)", "\tcmd", "\r=1", "＝1+1"],
)
def test_a_text_that_a_spreadsheet_would_run_gets_an_apostrophe(value):
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    ["UNCCAS", "", None, Decimal("-12.50"), -3, datetime.date(2020, 1, 1), "a=b"],
)
def test_other_values_are_unchanged(value):
    assert neutralise_cell(value) == value
