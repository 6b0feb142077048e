import pytest
from django.core.exceptions import ValidationError

from conventions.models import Organisation
from conventions.validators import siret_is_valid, siret_with_keys
from tests.factories import valid_siret


def test_a_siret_with_the_right_check_digit_is_valid():
    assert siret_is_valid("73282932000074")


def test_a_siret_with_a_wrong_check_digit_is_invalid():
    assert not siret_is_valid("73282932000075")


def test_la_poste_establishments_follow_their_own_rule():
    assert siret_is_valid("35600000000001")  # digit sum 15, Luhn would refuse it
    assert not siret_is_valid("35600000000002")


@pytest.mark.django_db
def test_it_refuses_an_organisation_whose_siret_has_a_wrong_check_digit():
    siret = valid_siret(1234567890123)
    wrong = siret[:-1] + str((int(siret[-1]) + 1) % 10)
    organisation = Organisation(name="UDCCAS test", kind="departmental_union", siret=wrong)

    with pytest.raises(ValidationError) as refused:
        organisation.full_clean()

    assert refused.value.message_dict["siret"] == [
        "Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas."
    ]
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_siret_that_is_not_14_digits():
    organisation = Organisation(name="UDCCAS test", kind="departmental_union", siret="1234")

    with pytest.raises(ValidationError) as refused:
        organisation.full_clean()

    assert refused.value.message_dict["siret"] == ["Le SIRET doit compter exactement 14 chiffres."]


def test_a_siret_whose_siren_key_is_wrong_is_invalid_even_if_its_own_key_is_right():
    # The 14-digit key is right here; the official rule also checks the SIREN (first 9 digits).
    assert not siret_is_valid("73282932100072")


def test_la_poste_head_office_follows_the_ordinary_rule():
    assert siret_is_valid("35600000000048")


@pytest.mark.django_db
def test_it_refuses_an_organisation_whose_siren_key_is_wrong():
    organisation = Organisation(
        name="UDCCAS test", kind="departmental_union", siret="73282932100072"
    )

    with pytest.raises(ValidationError) as refused:
        organisation.full_clean()

    assert refused.value.message_dict["siret"] == [
        "Ce SIRET n'est pas valide : les 9 premiers chiffres ne forment pas un SIREN valide (clé de contrôle)."
    ]
    assert not Organisation.objects.exists()


def test_the_siret_helper_gives_numbers_that_pass_the_official_rule():
    assert [siret_with_keys(f"{n:012d}") for n in (0, 123456789012)] == [
        "00000000000000",
        "12345678290128",
    ]
    assert all(siret_is_valid(siret_with_keys(f"{n:012d}")) for n in range(0, 10**12, 7**13))
