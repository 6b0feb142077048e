"""Error answers: French DSFR pages for people, JSON under /api/ for programs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

_PAGES = {
    400: ("Requête incorrecte", "La demande envoyée n'a pas pu être comprise."),
    403: ("Accès refusé", "Vous n'avez pas accès à cette page avec ce compte."),
    404: (
        "Page introuvable",
        "La page que vous cherchez n'existe pas, a été déplacée, ou vous n'y avez pas accès.",
    ),
    500: (
        "Erreur inattendue",
        "Le service a rencontré un problème. L'équipe technique en est informée ; "
        "réessayez dans quelques minutes.",
    ),
}
_API_DETAIL = {
    400: "Requête incorrecte.",
    403: "Vous n'avez pas la permission d'effectuer cette action.",
    404: "Non trouvé.",
    500: "Erreur interne du serveur.",
}


def _answer(request: HttpRequest | None, status: int, **extra: str) -> HttpResponse:
    if request is not None and request.path.startswith("/api/"):
        return JsonResponse({"detail": _API_DETAIL[status]}, status=status)
    title, lead = _PAGES[status]
    context = {"status": status, "title": title, "lead": lead, **extra}
    template = loader.get_template("errors/error.html")
    # No request context for a 500: the page must render even when what failed is a context
    # processor or the database.
    html = template.render(context, request if status != 500 else None)
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _answer(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "Jeton CSRF absent ou incorrect : rechargez la page et recommencez."},
            status=403,
        )
    html = loader.get_template("errors/error.html").render(
        {
            "status": 403,
            "title": "Formulaire expiré",
            "lead": "Pour votre sécurité, ce formulaire n'est plus valable (page restée ouverte "
            "trop longtemps, ou cookies désactivés). Revenez en arrière, rechargez la page et "
            "recommencez.",
        },
        request,
    )
    return HttpResponse(html, status=403)
