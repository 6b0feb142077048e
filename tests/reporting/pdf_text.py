"""Reading back what a PDF says, as a comité de pilotage member would copy it."""

from __future__ import annotations

import io

from pypdf import PdfReader

LYON_FIGURES = ("801 500,00 €", "427 750,00 €", "53,37 %")


def normalise(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return normalise("\n".join(page.extract_text() or "" for page in reader.pages))


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def embedded_files(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    names = list(reader.attachments)
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            if annotation.get_object().get("/Subtype") == "/FileAttachment":
                names.append("annotation")
    return names


def flat(text: str) -> str:
    """One space between words: a cell's text wrapped over two lines reads as one line."""
    return " ".join(text.split())
