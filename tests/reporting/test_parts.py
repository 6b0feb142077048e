"""A long report rendered in parts and joined (reporting.parts, reporting.pdf_join): still tagged,
bookmarked per chapter and axis, numbered across parts, with a table of contents that points at
the right pages, and saying what the single document says. The split is forced on 30 actions."""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from pypdf import PdfReader

from reporting import parts, rendering, selectors
from tests.reporting.builders import generated_convention
from tests.reporting.pdf_text import normalise
from tests.reporting.test_accessible import _structure_kinds

pytestmark = pytest.mark.django_db

CHAPTERS = [
    "Synthèse",
    "Situation financière",
    "Comptes rendus en retard",
    "Axes et actions",
    "Visa",
]
FURNITURE = re.compile(
    r"Conventions de modernisation — CNSA|Page \d+ sur \d+|^CNSA-PARTS — Bilan final.*"
)
TABLE_HEADS = {
    "Action Pilote Comptes rendus attendus",
    "Action Prévu dont CNSA Dépensé Taux",
    "Action · indicateur Départ Cible Valeurs par période Atteint",
}


@pytest.fixture
def context(cnsa):
    convention = generated_convention(cnsa, actions=30, reference="CNSA-PARTS")
    return selectors.report_context(
        convention_id=convention.pk,
        kind="final",
        period_start=convention.start_date,
        period_end=convention.end_date,
    )


@pytest.fixture
def joined(context) -> PdfReader:
    # 6 actions per axis, parts of 10: one part per axis, and the 90 overdue reports in three.
    return PdfReader(io.BytesIO(parts.parts_pdf(context, size=10)))


def _pages(reader: PdfReader) -> list[str]:
    return [normalise(page.extract_text() or "") for page in reader.pages]


def test_the_joined_report_is_a_tagged_french_pdf_with_its_title(joined):
    catalog = joined.trailer["/Root"]
    seen: set[str] = set()
    alts: list[str] = []

    _structure_kinds(catalog["/StructTreeRoot"], seen, alts)

    assert catalog["/Lang"] == "fr"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] in (True, "true")
    assert joined.metadata.title == "Bilan final — CNSA-PARTS"
    assert {
        "/Document",
        "/H1",
        "/H2",
        "/H3",
        "/H4",
        "/Table",
        "/TH",
        "/TD",
        "/P",
        "/Figure",
    } <= seen
    assert any(alt.startswith("Prévu et dépensé par axe : axe 1 : prévu") for alt in alts)


def test_every_page_and_link_finds_its_structure_in_the_parent_tree(joined):
    root = joined.trailer["/Root"]["/StructTreeRoot"]
    nums = root["/ParentTree"]["/Nums"]
    keys = [int(key) for key in nums[0::2]]
    used = []
    for page in joined.pages:
        used.append(int(page["/StructParents"]))
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if "/StructParent" in annotation:
                used.append(int(annotation["/StructParent"]))

    assert len(keys) == len(set(keys))
    assert len(used) == len(set(used))
    assert set(used) <= set(keys)
    assert int(root["/ParentTreeNextKey"]) > max(keys)
    document = root["/K"][0].get_object()
    assert document["/S"] == "/Document"
    assert all(kid.get_object()["/P"].get_object() is document for kid in document["/K"])


def test_bookmarks_per_chapter_and_axis_and_pages_numbered_across_parts(joined):
    outline = joined.outline
    top = [item for item in outline if not isinstance(item, list)]
    axes_index = [item.title for item in top].index("Axes et actions")
    nested = outline[[i for i, item in enumerate(outline) if item is top[axes_index]][0] + 1]
    pages = _pages(joined)

    assert [item.title for item in top] == CHAPTERS
    assert [item.title for item in nested] == [f"Axe {n} : Axe généré {n}" for n in range(1, 6)]
    for item in nested:
        assert item.title in pages[joined.get_destination_page_number(item)]
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} sur {len(pages)}" in text


def test_the_table_of_contents_gives_the_pages_where_chapters_and_axes_begin(joined):
    pages = _pages(joined)
    entries = dict(re.findall(r"^(.+?) \.{3,} ?(\d+)$", pages[1], flags=re.MULTILINE))
    bookmarks = {
        item.title: joined.get_destination_page_number(item) + 1
        for item in _flatten(joined.outline)
    }

    assert set(CHAPTERS) | {f"Axe {n} : Axe généré {n}" for n in range(1, 6)} <= set(entries)
    for title, page in entries.items():
        assert int(page) == bookmarks[title], title
    links = [a.get_object() for a in joined.pages[1].get("/Annots") or []]
    targets = {str(a["/Dest"]) for a in links if "/Dest" in a}
    anchors = dict(
        zip(["synthese", "finances", "retards", "actions", "visa"], CHAPTERS, strict=True)
    )
    anchors |= {f"axe-{n}": f"Axe {n} : Axe généré {n}" for n in range(1, 6)}
    assert targets == set(anchors)
    for name, dest in joined.named_destinations.items():
        if name in anchors:  # each link of the contents opens the page its line announces
            assert joined.get_destination_page_number(dest) + 1 == int(entries[anchors[name]])


def test_the_joined_report_says_what_the_single_document_says(context, joined):
    single = PdfReader(io.BytesIO(rendering.html_to_pdf(rendering.report_html(context))))

    # Same lines (a page's figures may be read before or after its text: compared as a multiset),
    # and the actions in the same order.
    assert Counter(_body(single)) == Counter(_body(joined))
    assert _actions(single) == _actions(joined) and len(_actions(joined)) == 30
    assert len(joined.pages) > len(single.pages)  # each part ends on its own page


def test_small_conventions_stay_one_document(context, monkeypatch):
    monkeypatch.setattr(parts, "parts_pdf", lambda *args, **kwargs: pytest.fail("split"))
    assert context.action_count <= parts.SPLIT_ABOVE_ACTIONS

    data = parts.report_pdf(context)

    assert PdfReader(io.BytesIO(data)).outline
    monkeypatch.setattr(parts, "SPLIT_ABOVE_ACTIONS", 20)
    monkeypatch.setattr(parts, "parts_pdf", lambda context: b"joined")
    assert parts.report_pdf(context) == b"joined"


def test_long_axes_are_cut_between_narratives_and_keep_their_tables_with_their_title(context):
    cut = parts.axis_parts(context, size=4)

    first_axis = [s for part in cut for s in part.axes if s.axis.number == 1]
    assert [len(s.actions) for s in first_axis] == [4, 2]
    assert [s.head for s in first_axis] == [True, False]
    assert [part.axes_heading for part in cut] == [True] + [False] * (len(cut) - 1)
    assert [part.visa for part in cut] == [False] * (len(cut) - 1) + [True]
    assert sum(len(s.actions) for part in cut for s in part.axes) == 30


def _flatten(outline) -> list:
    found = []
    for item in outline:
        found += _flatten(item) if isinstance(item, list) else [item]
    return found


def _body(reader: PdfReader) -> list[str]:
    """The text without page furniture, repeated table heads and the contents' page numbers."""
    lines = []
    for text in _pages(reader):
        for line in text.splitlines():
            line = FURNITURE.sub("", re.sub(r" ?\.{3,} ?\d+$", "", " ".join(line.split()))).strip()
            if line and line not in TABLE_HEADS:
                lines.append(line)
    return lines


def _actions(reader: PdfReader) -> list[str]:
    return [line for line in _body(reader) if re.match(r"^\d\.\d+ — Action générée \d+$", line)]


def test_late_parts_never_cut_an_actions_late_reports(context):
    # 3 late reports per action: parts of at most 4 reports hold one action each.
    cut = parts.late_parts(context, size=4)

    assert [len(part.overdue or []) for part in cut] == [3] * 30
    assert [part.late_heading for part in cut] == [True] + [False] * 29
    assert [row for part in cut for row in part.overdue or []] == context.overdue
