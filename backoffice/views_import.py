"""Officers' pages: a convention's plan template, and its import from a spreadsheet.

Upload → dry run (every change, or every error with its sheet and cell) → confirmation → apply.
Between the preview and the confirmation the file waits in private storage under a random name
kept in the officer's session, with the plan's fingerprint: what is applied is what was previewed,
on the plan that was previewed."""

from __future__ import annotations

import secrets
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from conventions.models import Convention
from core.exports import CONTENT_TYPES
from core.limits import LONG_TEXT_MAX_LENGTH
from core.storage import private_storage
from core.text import counted
from financing.imports import ImportReport, plan_import, plan_import_check
from financing.imports_files import MAX_IMPORT_BYTES
from financing.imports_plan import plan_state
from financing.imports_template import template_filename, template_ods, template_xlsx

SESSION_KEY = "plan_imports"
KEPT_UPLOADS = 5


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label="Classeur rempli",
        help_text="Le modèle de cette convention, au format .xlsx ou .ods, 5 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.ods"}),
    )


class PlanApplyForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    fingerprint = forms.CharField(widget=forms.HiddenInput)
    signed_on = forms.DateField(
        label="Date de l'avenant",
        required=False,
        help_text="Format JJ/MM/AAAA ; aujourd'hui si vide.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )
    description = forms.CharField(
        label="Objet de l'avenant",
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _officer(request: HttpRequest) -> User:
    return cast(User, request.user)  # behind login_required


def _convention(request: HttpRequest, pk: int) -> Convention:
    convention = get_object_or_404(Convention.objects.fully_visible_to(request.user), pk=pk)
    plan_import_check(_officer(request))  # PermissionDenied: a French 403 page
    return convention


@login_required
@require_safe
def plan_template(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    convention = get_object_or_404(Convention.objects.fully_visible_to(request.user), pk=pk)
    state = plan_state(convention=convention)
    body = template_ods(state) if fmt == "ods" else template_xlsx(state)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{template_filename(state, fmt)}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_page(request: HttpRequest, pk: int) -> HttpResponse:
    convention = _convention(request, pk)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = plan_import(
            convention=convention, upload=upload, by=_officer(request), dry_run=True
        )
        apply_form = None
        if not report.issues and report.has_changes:
            token = _keep(request, convention, upload)
            apply_form = PlanApplyForm(
                initial={
                    "token": token,
                    "fingerprint": report.fingerprint,
                    "description": f"Plan de financement importé de « {upload.name[:150]} ».",
                }
            )
        return _preview(request, report, apply_form, upload.name)
    return render(
        request,
        "backoffice/import.html",
        {"convention": convention, "form": form, "max_megabytes": MAX_IMPORT_BYTES // 2**20},
    )


@login_required
@require_http_methods(["POST"])
def plan_import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    convention = _convention(request, pk)
    form = PlanApplyForm(request.POST)
    kept = _kept(request, convention, form.data.get("token", ""))
    if kept is None:
        messages.error(request, "Cet aperçu a expiré : déposez de nouveau le fichier.")
        return redirect("backoffice:plan_import", pk=convention.pk)
    if not form.is_valid():
        with _open(kept) as upload:
            report = plan_import(
                convention=convention, upload=upload, by=_officer(request), dry_run=True
            )
        return _preview(request, report, form, kept["filename"])
    with _open(kept) as upload:
        report = plan_import(
            convention=convention,
            upload=upload,
            by=_officer(request),
            dry_run=False,
            signed_on=form.cleaned_data["signed_on"],
            description=form.cleaned_data["description"],
            fingerprint=form.cleaned_data["fingerprint"],
        )
    if report.issues:
        return _preview(request, report, None, kept["filename"])
    _forget(request, form.cleaned_data["token"])
    lines = counted(len(report.lines), "ligne modifiée", "lignes modifiées")
    indicators = counted(len(report.indicators), "indicateur modifié", "indicateurs modifiés")
    done = f"Plan de financement importé : {lines}, {indicators}."
    if report.amendment:
        done += f" Avenant n° {report.amendment} enregistré."
    messages.success(request, done)
    return redirect("backoffice:convention", pk=convention.pk)


def _preview(
    request: HttpRequest, report: ImportReport, form: PlanApplyForm | None, filename: str
) -> HttpResponse:
    context: dict[str, Any] = {
        "convention": report.convention,
        "report": report,
        "form": form,
        "filename": filename,
        "groups": _grouped(report),
    }
    status = 400 if report.issues else 200
    return render(request, "backoffice/import_preview.html", context, status=status)


def _grouped(report: ImportReport) -> list[tuple[str, list]]:
    labels = {
        "added": "Lignes ajoutées",
        "changed": "Lignes modifiées",
        "removed": "Lignes supprimées",
    }
    return [
        (label, [line for line in report.lines if line.kind == kind])
        for kind, label in labels.items()
        if any(line.kind == kind for line in report.lines)
    ]


def _keep(request: HttpRequest, convention: Convention, upload) -> str:
    upload.seek(0)
    token = secrets.token_urlsafe(16)
    name = private_storage().save(f"imports/{token}", ContentFile(upload.read(MAX_IMPORT_BYTES)))
    kept = dict(request.session.get(SESSION_KEY, {}))
    kept[token] = {
        "name": name,
        "convention": convention.pk,
        "filename": str(upload.name)[:150],
        "at": timezone.now().isoformat(),
    }
    for old in sorted(kept, key=lambda t: kept[t]["at"])[:-KEPT_UPLOADS]:
        private_storage().delete(kept.pop(old)["name"])
    request.session[SESSION_KEY] = kept
    return token


def _kept(request: HttpRequest, convention: Convention, token: str) -> dict | None:
    kept = request.session.get(SESSION_KEY, {}).get(token)
    if kept is None or kept["convention"] != convention.pk:
        return None
    if not private_storage().exists(kept["name"]):
        return None
    return kept


def _open(kept: dict):
    try:
        return private_storage().open(kept["name"], "rb")
    except FileNotFoundError as missing:
        raise Http404 from missing


def _forget(request: HttpRequest, token: str) -> None:
    kept = dict(request.session.get(SESSION_KEY, {}))
    entry = kept.pop(token, None)
    if entry:
        private_storage().delete(entry["name"])
    request.session[SESSION_KEY] = kept
