import pytest
from django.test import RequestFactory

from core.pagination import paginate


@pytest.mark.parametrize(
    ("page", "number", "rows"),
    [("2", 2, [3, 4]), ("99", 3, [5]), ("deux", 1, [1, 2])],
)
def test_a_page_holds_its_rows_as_a_list(page, number, rows):
    request = RequestFactory().get("/", {"page": page})

    result = paginate(request, [1, 2, 3, 4, 5], size=2)

    assert (result.number, result.rows) == (number, rows)
