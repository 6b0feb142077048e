"""Conversations: the thread shown on the action and report pages (reading it marks it read),
its own page, sending a message with files, downloading them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from actions import selectors, services
from actions.forms import MessageForm
from actions.models import Action, Message, MessageAttachment, ProgressReport
from actions.selectors_threads import thread_view
from actions.services_threads import thread_notifications_read
from core.http import AuthenticatedRequest


def thread_context(
    request: AuthenticatedRequest,
    action: Action,
    report: ProgressReport | None = None,
    form: MessageForm | None = None,
) -> dict:
    """The thread as this person sees it; seeing it marks it read up to its last message."""
    view = thread_view(user=request.user, action=action, report=report)
    if view.thread is not None:
        services.thread_mark_read(thread=view.thread, user=request.user, last_id=view.last_id)
        thread_notifications_read(user=request.user, link=f"{_page_url(action, report)}#echanges")
    form = form or MessageForm(notes=view.can_write_notes)
    return {"thread": view, "message_form": form}


def _page_url(action: Action, report: ProgressReport | None) -> str:
    if report is not None:
        return reverse("actions:report", args=[report.pk])
    return reverse("actions:action", args=[action.pk])


def _thread_page(request, action: Action, report: ProgressReport | None) -> HttpResponse:
    form = None
    status = 200
    if request.method == "POST":
        form = MessageForm(
            request.POST, request.FILES, notes=services.can_write_notes(request.user)
        )
        if form.is_valid():
            try:
                services.message_post(
                    action=action,
                    report=report,
                    by=request.user,
                    body=form.cleaned_data["body"],
                    internal=form.cleaned_data.get("internal", False),
                    files=form.cleaned_data["file"],
                )
            except ValidationError as error:
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, "Message envoyé.")
                return redirect(f"{_page_url(action, report)}#echanges")
        status = 400
    context = thread_context(request, action, report, form) | {
        "action": action,
        "report": report,
        "back_url": _page_url(action, report),
    }
    return render(request, "actions/thread.html", context, status=status)


@login_required
def action_thread(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(selectors.actions_for(user=request.user), pk=pk)
    return _thread_page(request, action, None)


@login_required
def report_thread(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors.reports_for(user=request.user), pk=pk)
    return _thread_page(request, report.action, report)


@login_required
def message_attachment(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """A message's file, for those who may read the message (a note's, officers only)."""
    attachment = get_object_or_404(
        MessageAttachment.objects.filter(message__in=Message.objects.visible_to(request.user)),
        pk=pk,
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
