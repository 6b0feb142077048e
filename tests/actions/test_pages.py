"""Workspace pages: who sees what, the form's errors, the confirmation, and constant query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import ProgressReport
from actions.services import STALE_MESSAGE
from tests.factories import ActionFactory, ProgressReportFactory, SpendingFactory


@pytest.fixture
def client69(client, world):
    client.force_login(world.contributor69)
    return client


@pytest.fixture
def officer_client(client, world):
    client.force_login(world.officer)
    return client


def _report_data(world, **extra):
    data = {
        "period": "2019",
        f"value_{world.indicator69.pk}": "6",
        f"comment_{world.indicator69.pk}": "",
        f"spending_{world.cnsa.pk}": "1 500,50",
        "spending_none": "",
        "narrative": "Six séances tenues.",
    }
    return data | extra


@pytest.mark.django_db
class TestSignIn:
    def test_pages_need_a_signed_in_user(self, client, world):
        response = client.get(reverse("actions:my_actions"))

        assert response.status_code == 302
        assert response["Location"] == "/connexion/?next=/mes-actions/"

    def test_a_union_user_signs_in_and_lands_on_their_actions(self, client, world):
        response = client.post(
            reverse("login"),
            {"username": "udccas69.contributeur", "password": "motdepasse-de-test"},
            follow=True,
        )

        assert response.redirect_chain[-1][0] == "/mes-actions/"
        assert "Analyse de pratiques (Rhône)" in response.content.decode()

    def test_a_wrong_password_is_told_in_french(self, client, world):
        response = client.post(
            reverse("login"), {"username": "udccas69.contributeur", "password": "faux"}
        )

        assert "Identifiant ou mot de passe incorrect" in response.content.decode()

    def test_an_officer_lands_on_the_portfolio(self, officer_client):
        response = officer_client.get(reverse("home"))

        assert response["Location"] == "/portefeuille/"

    def test_sign_out(self, client69):
        response = client69.post(reverse("logout"))

        assert response["Location"] == "/connexion/"


@pytest.mark.django_db
class TestAccess:
    def test_my_actions_lists_only_the_unions_actions(self, client69, world):
        body = client69.get(reverse("actions:my_actions")).content.decode()

        assert "Analyse de pratiques (Rhône)" in body
        assert "Groupes de parole" not in body

    def test_another_unions_action_report_and_attachment_are_404(self, client69, world):
        report13 = ProgressReportFactory(action=world.action13)
        attachment = report13.attachments.create(
            file="attachments/x.pdf", original_name="x.pdf", content_type="application/pdf", size=3
        )
        urls = [
            reverse("actions:action", args=[world.action13.pk]),
            reverse("actions:report_create", args=[world.action13.pk]),
            reverse("actions:report", args=[report13.pk]),
            reverse("actions:report_edit", args=[report13.pk]),
            reverse("actions:report_submit", args=[report13.pk]),
            reverse("actions:attachment", args=[attachment.pk]),
        ]

        assert [client69.get(url).status_code for url in urls] == [404] * 6
        assert (
            client69.post(reverse("actions:attachment_delete", args=[attachment.pk])).status_code
            == 404
        )
        assert (
            client69.post(reverse("actions:attachment_upload", args=[report13.pk])).status_code
            == 404
        )

    def test_a_union_cannot_open_the_convention_dashboard(self, client69, world):
        response = client69.get(reverse("backoffice:convention", args=[world.convention.pk]))

        assert response.status_code == 404

    def test_the_review_queue_is_for_officers(self, client69):
        assert client69.get(reverse("actions:review_queue")).status_code == 403

    def test_a_reader_sees_the_action_but_may_not_enter_progress(self, client, world):
        client.force_login(world.reader69)

        assert client.get(reverse("actions:action", args=[world.action69.pk])).status_code == 200
        assert (
            client.get(reverse("actions:report_create", args=[world.action69.pk])).status_code
            == 403
        )


@pytest.mark.django_db
class TestProgressForm:
    def test_a_wrong_amount_is_shown_beside_its_field_and_nothing_is_saved(self, client69, world):
        url = reverse("actions:report_create", args=[world.action69.pk])

        response = client69.post(url, _report_data(world, **{f"spending_{world.cnsa.pk}": "-5"}))

        assert response.status_code == 400
        body = response.content.decode()
        assert f'id="id_spending_{world.cnsa.pk}-erreur"' in body
        assert "Saisissez une valeur positive ou nulle." in body
        assert ProgressReport.objects.count() == 0

    def test_a_valid_form_creates_a_draft(self, client69, world):
        response = client69.post(
            reverse("actions:report_create", args=[world.action69.pk]), _report_data(world)
        )

        report = ProgressReport.objects.get()
        assert response["Location"] == reverse("actions:report", args=[report.pk])
        assert (report.period_start, report.period_end, report.status) == (
            datetime.date(2019, 1, 1),
            datetime.date(2019, 12, 31),
            "draft",
        )
        assert report.spendings.get().amount == Decimal("1500.50")

    def test_a_half_year_can_be_chosen(self, client69, world):
        client69.post(
            reverse("actions:report_create", args=[world.action69.pk]),
            _report_data(world, period="2020-S2"),
        )

        report = ProgressReport.objects.get()
        assert (report.period_start, report.period_end) == (
            datetime.date(2020, 7, 1),
            datetime.date(2020, 12, 31),
        )

    def test_a_stale_form_is_refused_with_the_message(self, client69, world):
        report = ProgressReportFactory(action=world.action69, version=3)
        data = _report_data(world, version="2", narrative="Ma version")
        del data["period"]

        response = client69.post(reverse("actions:report_edit", args=[report.pk]), data)

        assert response.status_code == 400
        assert STALE_MESSAGE.replace("'", "&#x27;") in response.content.decode()
        report.refresh_from_db()
        assert (report.narrative, report.version) == ("", 3)

    def test_submission_asks_for_confirmation_first(self, client69, world):
        report = ProgressReportFactory(action=world.action69, narrative="Fait.")
        url = reverse("actions:report_submit", args=[report.pk])

        page = client69.get(url)
        report.refresh_from_db()
        assert "Confirmer la transmission" in page.content.decode()
        assert report.status == "draft"

        client69.post(url, {"version": report.version})
        report.refresh_from_db()
        assert report.status == "submitted"

    def test_an_officer_returns_a_report_only_with_a_comment(self, officer_client, world):
        report = ProgressReportFactory(action=world.action69, narrative="Fait.", status="submitted")
        url = reverse("actions:report_return", args=[report.pk])

        refused = officer_client.post(url, {"comment": ""})
        assert refused.status_code == 400
        assert "le commentaire est obligatoire" in refused.content.decode()
        report.refresh_from_db()
        assert report.status == "submitted"

        officer_client.post(url, {"comment": "Précisez."})
        report.refresh_from_db()
        assert (report.status, report.review_comment) == ("returned", "Précisez.")


def _many_actions(world, count: int) -> None:
    for index in range(count):
        action = ActionFactory(axis=world.axis, lead_organisation=world.ud69, code=f"9.{index}")
        report = ProgressReportFactory(
            action=action, status="submitted", submitted_by=world.contributor69
        )
        SpendingFactory(report=report, amount=Decimal("10.00"))


@pytest.mark.django_db
class TestQueryCounts:
    # 25 crosses the page size (20): the pages stay bounded
    @pytest.mark.parametrize("extra", [1, 25])
    def test_my_actions(self, client69, world, extra, django_assert_num_queries):
        _many_actions(world, extra)

        # session, user, memberships, the pilots of the filter, count, page of actions, their
        # reports, their conventions' calendars, unread notifications (then cached), DSFR config
        with django_assert_num_queries(10):
            response = client69.get(reverse("actions:my_actions"))
        assert len(response.context["rows"]) == min(extra + 1, 20)

    @pytest.mark.parametrize("extra", [1, 25])
    def test_review_queue(self, officer_client, world, extra, django_assert_num_queries):
        _many_actions(world, extra)

        # session, user, memberships, the pilots of the filter, count, page of reports, unread
        # notifications, DSFR site config
        with django_assert_num_queries(8):
            response = officer_client.get(reverse("actions:review_queue"))
        assert len(response.context["page"].rows) == min(extra, 20)

    @pytest.mark.parametrize("extra", [1, 25])
    def test_dashboard(self, officer_client, world, extra, django_assert_num_queries):
        _many_actions(world, extra)

        # every action with its reports and calendar (3), the first 20 of each axis with their
        # money (1) and indicators (1), the axes with their totals (1)
        with django_assert_num_queries(24):
            response = officer_client.get(
                reverse("backoffice:convention", args=[world.convention.pk])
            )
        assert len(response.context["view"].dashboard.axes[0].actions) == min(extra + 2, 20)


@pytest.mark.django_db
class TestWhatIsDue:
    def test_my_actions_shows_overdue_and_due_reports(self, client69, world, monkeypatch):
        ProgressReportFactory(action=world.action69, status="approved")
        monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2021, 3, 1))

        body = client69.get(reverse("actions:my_actions")).content.decode()

        assert "Compte rendu 2019" not in body
        assert "À rendre : Compte rendu 2020, avant le 30/06/2021" in body

    def test_a_missing_report_is_overdue_six_months_after_year_end(
        self, client69, world, monkeypatch
    ):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2020, 7, 1))

        body = client69.get(reverse("actions:my_actions")).content.decode()

        assert "En retard : Compte rendu 2019, dû le 30/06/2020" in body

    def test_the_empty_state_says_so(self, client, world):
        client.force_login(world.officer)
        world.officer.memberships.all().delete()

        body = client.get(reverse("actions:my_actions")).content.decode()

        assert "Aucune action ne vous est confiée pour l'instant." in body


@pytest.mark.django_db
class TestDashboard:
    def test_it_shows_money_overdue_reports_and_problems(self, officer_client, world):
        report = ProgressReportFactory(action=world.action69, status="approved")
        SpendingFactory(report=report, amount=Decimal("1500.50"))

        response = officer_client.get(reverse("backoffice:convention", args=[world.convention.pk]))

        body = response.content.decode()
        assert "1\u00a0500,50\u00a0€" in body
        assert "<svg" in body and 'role="img"' in body
        assert "Compte rendu 2020 en retard" in body
        assert [p.code for p in response.context["view"].dashboard.problems] == [
            "plan_total_mismatch",
            "plan_cnsa_mismatch",
        ]
        assert "Les lignes de financement totalisent" in body

    def test_the_porteurs_coordinator_sees_it(self, client, world):
        client.force_login(world.coordinator)

        assert (
            client.get(reverse("backoffice:convention", args=[world.convention.pk])).status_code
            == 200
        )


@pytest.mark.django_db
class TestListsSearchSortFilter:
    def test_my_actions_searches_filters_and_keeps_the_criteria_in_the_pages(self, client, world):
        client.force_login(world.coordinator)
        for index in range(25):
            ActionFactory(axis=world.axis, lead_organisation=world.ud69, code=f"7.{index:02d}")
        url = reverse("actions:my_actions")

        found = client.get(url, {"q": "bouches"}).content.decode()
        assert "Groupes de parole" in found and "Analyse de pratiques" not in found
        assert "1 action pour ces critères" in found

        by_pilot = client.get(url, {"pilote": world.ud13.pk})
        assert [r.action.code for r in by_pilot.context["rows"]] == ["3.2"]

        page = client.get(url, {"pilote": world.ud69.pk, "sort": "-action"})
        codes = [r.action.code for r in page.context["rows"]]
        assert codes[0] == "7.24" and len(codes) == 20
        assert f"pilote={world.ud69.pk}&amp;sort=-action&amp;page=2" in page.content.decode()

    def test_my_actions_filters_on_the_latest_report(self, client69, world):
        ProgressReportFactory(action=world.action69, status="submitted")
        url = reverse("actions:my_actions")

        assert len(client69.get(url, {"statut": "submitted"}).context["rows"]) == 1
        empty = client69.get(url, {"statut": "aucun"})
        assert empty.context["rows"] == []
        assert "Aucune action ne correspond à ces critères" in empty.content.decode()

    def test_an_unknown_filter_value_is_ignored(self, client69):
        response = client69.get(reverse("actions:my_actions"), {"sort": "x", "pilote": "abc"})

        assert response.status_code == 200

    def test_the_review_queue_searches_and_sorts(self, officer_client, world):
        ProgressReportFactory(action=world.action69, status="submitted", submitted_by=world.officer)
        ProgressReportFactory(action=world.action13, status="submitted")
        world.officer.first_name, world.officer.last_name = "Claire", "Martin"
        world.officer.save()
        url = reverse("actions:review_queue")

        page = officer_client.get(url, {"sort": "-action"})
        assert [r.action.code for r in page.context["page"].rows] == ["3.2", "3.1"]
        body = page.content.decode()
        assert "2 comptes rendus transmis" in body and "par Claire Martin" in body
        assert 'aria-sort="descending"' in body

        one = officer_client.get(url, {"q": "analyse"}).content.decode()
        assert "1 compte rendu transmis pour ces critères" in one


class TestFrenchWords:
    @pytest.mark.parametrize(
        ("count", "expected"),
        [(0, "0 compte rendu"), (1, "1 compte rendu"), (2, "2 comptes rendus")],
    )
    def test_counts_take_the_singular_below_two(self, count, expected):
        from core.templatetags.workspace import count_fr

        assert count_fr(count, "compte rendu,comptes rendus") == expected

    def test_people_by_full_name_else_login(self):
        from django.contrib.auth.models import User

        from core.templatetags.workspace import person

        assert person(User(username="cm", first_name="Claire", last_name="Martin")) == (
            "Claire Martin"
        )
        assert person(User(username="cm")) == "cm"
        assert person(None) == ""


@pytest.mark.django_db
class TestHeader:
    def test_the_menu_button_opens_a_menu_with_the_navigation(self, officer_client):
        body = officer_client.get(reverse("actions:my_actions")).content.decode()

        assert 'class="fr-btn--menu fr-btn"' in body and 'aria-controls="menu-mobile"' in body
        assert 'class="fr-header__menu fr-modal" id="menu-mobile"' in body
        assert 'class="fr-header__menu-links"' in body


@pytest.mark.django_db
def test_an_error_summary_links_to_its_field(client69, world):
    response = client69.post(
        reverse("actions:report_create", args=[world.action69.pk]),
        _report_data(world, **{f"spending_{world.cnsa.pk}": "-5"}),
    )

    assert f'<a href="#id_spending_{world.cnsa.pk}">' in response.content.decode()
