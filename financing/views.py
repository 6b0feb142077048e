"""The public open-data file (the officers' pages live in backoffice)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from financing.models import Publication
from financing.opendata import SCDL_FILE_NAME
from financing.services import scdl_publish


def _scdl_publication() -> Publication:
    publication = Publication.objects.filter(name=SCDL_FILE_NAME).first()
    return publication or scdl_publish()


@require_safe
def scdl_public_file(request: HttpRequest) -> HttpResponse:
    """The SCDL « subventions » file as last published: public, no sign-in, cacheable."""
    publication = _scdl_publication()
    etag = '"' + hashlib.sha256(publication.content.encode()).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(publication.content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{SCDL_FILE_NAME}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(publication.published_at.timestamp())
    response["X-Publication-Date"] = publication.published_at.isoformat()
    patch_cache_control(response, public=True, max_age=settings.OPENDATA_CACHE_SECONDS)
    response["Access-Control-Allow-Origin"] = "*"
    return response
