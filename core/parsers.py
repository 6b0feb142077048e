"""Request bodies bounded before they cost anything: size by Django, nesting here."""

from __future__ import annotations

import codecs
import json

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32
TOO_DEEP = f"Corps JSON trop imbriqué : {MAX_DEPTH} niveaux au plus."


def _depth(value, level: int = 1) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level)
    return level


class BoundedJSONParser(JSONParser):
    """Malformed or too deeply nested JSON is a 400 with a French message, never a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
            data = json.loads(text, parse_constant=self._refuse_constant)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        except json.JSONDecodeError as exc:
            raise ParseError(
                f"Corps JSON invalide (ligne {exc.lineno}, colonne {exc.colno})."
            ) from None
        except (UnicodeDecodeError, ValueError):
            raise ParseError(f"Corps JSON illisible : encodage {encoding} attendu.") from None
        if _depth(data) > MAX_DEPTH:
            raise ParseError(TOO_DEEP)
        return data

    @staticmethod
    def _refuse_constant(name: str):
        raise ParseError(f"Corps JSON invalide : {name} n'est pas un nombre admis.")
