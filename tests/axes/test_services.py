import pytest
from django.core.exceptions import ValidationError

from axes.models import Axis
from axes.services import axis_delete, axis_save
from tests.factories import ActionFactory, AxisFactory, ConventionFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db


def test_an_axis_is_saved_under_its_convention(convention, officer):
    axis_save(axis=Axis(convention=convention, number=1, title="Pilotage"), by=officer)

    assert list(Axis.objects.values_list("convention_id", "number", "title")) == [
        (convention.pk, 1, "Pilotage")
    ]


def test_a_closed_convention_takes_no_new_axis(cnsa, officer):
    closed = ConventionFactory(funder=cnsa, status="closed")

    with pytest.raises(ValidationError) as refused:
        axis_save(axis=Axis(convention=closed, number=1, title="Pilotage"), by=officer)

    assert refused.value.message_dict["convention"] == [
        "La convention est clôturée : ses axes sont figés."
    ]
    assert not Axis.objects.exists()


def test_two_axes_of_a_convention_cannot_share_a_number(convention, officer):
    AxisFactory(convention=convention, number=1)

    with pytest.raises(ValidationError):
        axis_save(axis=Axis(convention=convention, number=1, title="Doublon"), by=officer)

    assert Axis.objects.count() == 1


def test_an_axis_without_reports_can_be_deleted(convention, officer):
    axis = AxisFactory(convention=convention)
    ActionFactory(axis=axis)

    axis_delete(axis=axis, by=officer)

    assert not Axis.objects.exists()


def test_an_axis_with_reports_under_it_is_kept(convention, officer):
    axis = AxisFactory(convention=convention)
    ProgressReportFactory(action=ActionFactory(axis=axis))

    with pytest.raises(ValidationError) as refused:
        axis_delete(axis=axis, by=officer)

    assert refused.value.message_dict["axis"] == [
        "Des comptes rendus existent sous cet axe : il ne peut plus être supprimé."
    ]
    assert Axis.objects.count() == 1


def test_an_axis_of_a_closed_convention_cannot_be_deleted(cnsa, officer):
    axis = AxisFactory(convention=ConventionFactory(funder=cnsa, status="closed"))

    with pytest.raises(ValidationError):
        axis_delete(axis=axis, by=officer)

    assert Axis.objects.count() == 1
