"""The list a village forum returns to the community, as a Thai PDF (Sarabun, text shaping on,
Buddhist Era dates): number, house number, name, age and need categories, and an empty column
for the community's mark. No health details: no scores, no diagnoses, no national IDs.

Printing it is a read of names, so it is written to the audit log like every export (PDPA)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from chumchon.areas.models import AreaLevel
from chumchon.core.audit import log_action
from chumchon.core.thai import age_in_years, format_be
from chumchon.people.forms import GROUP_LABELS
from chumchon.people.selectors import person_groups
from chumchon.people.validation import today
from chumchon.visits.models import Forum
from chumchon.visits.selectors.forums import forum_people

FONT = "Sarabun"
# no., house number, name, age, need categories, the community's mark (mm, A4 portrait).
COLUMN_WIDTHS = (11, 20, 55, 12, 52, 40)


def font_dir() -> Any:
    import fontpkg_sarabun

    return fontpkg_sarabun.ROOT / "files"


class ForumListPDF(FPDF):
    """A4 with the forum's title line on every page and "page n of N · printed on" below."""

    def __init__(self, *, running_title: str, printed: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.running_title = running_title
        self.printed = printed
        files = font_dir()
        self.add_font(FONT, "", str(files / "Sarabun-Regular.ttf"))
        self.add_font(FONT, "B", str(files / "Sarabun-Bold.ttf"))
        self.set_text_shaping(True)
        self.set_margins(10, 12, 10)
        self.set_auto_page_break(auto=True, margin=16)
        self.alias_nb_pages()

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font(FONT, "", 9)
            self.cell(0, 6, self.running_title, new_x="LMARGIN", new_y="NEXT", align="R")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 9)
        page = _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(0, 6, f"{page} · {self.printed}", align="C")


def _places(forum: Forum) -> tuple[str, str]:
    """The village's and the tambon's names (with amphoe and changwat)."""
    chain: dict[str, Any] = {}
    node: Any = forum.area
    while node is not None:
        chain[node.level] = node
        node = node.parent
    village = forum.area.label
    above = [chain[level].label for level in (AreaLevel.SUBDISTRICT, AreaLevel.DISTRICT, AreaLevel.PROVINCE)
             if level in chain]
    return village, " ".join(above)


def render_forum_list(*, user: Any, forum: Forum) -> tuple[bytes, int]:
    """The PDF bytes and the number of people listed. Always in Thai: it is handed out in the village."""
    rows = forum_people(user=user, forum=forum)
    on = today()
    with translation.override("th"):
        village, tambon = _places(forum)
        title = _("List of people returned to the village forum")
        pdf = ForumListPDF(running_title=f"{title} · {village}",
                           printed=_("Printed on %(date)s") % {"date": format_be(on, style="long")})
        pdf.add_page()
        pdf.set_font(FONT, "B", 16)
        pdf.cell(0, 9, title, new_x="LMARGIN", new_y="NEXT", align="C")
        pdf.set_font(FONT, "", 13)
        pdf.cell(0, 7, f"{village} {tambon}", new_x="LMARGIN", new_y="NEXT", align="C")
        held = _("Forum held on %(date)s") % {"date": format_be(forum.held_on, style="long")}
        if forum.place:
            held = f"{held} · {_('Place')}: {forum.place}"
        pdf.cell(0, 7, held, new_x="LMARGIN", new_y="NEXT", align="C")
        pdf.ln(3)
        headings = (_("No."), _("House number"), _("Name"), _("Age"), _("Needs care as"),
                    _("Community's mark"))
        pdf.set_font(FONT, "", 11)
        with pdf.table(col_widths=COLUMN_WIDTHS, text_align=("CENTER", "CENTER", "LEFT", "CENTER", "LEFT", "LEFT"),
                       headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
                       line_height=6.5, first_row_as_headings=True) as table:
            table.row(headings)
            for number, row in enumerate(rows, start=1):
                person = row.person
                age = age_in_years(person.birth_date, on) if person.birth_date else None
                groups = ", ".join(str(GROUP_LABELS[group]) for group in person_groups(person, on=on))
                table.row((str(number), person.household.house_no if person.household else "", person.full_name,
                           "" if age is None else str(age), groups, ""))
        if not rows:
            pdf.ln(4)
            pdf.cell(0, 7, _("No one is registered in this village yet."), new_x="LMARGIN", new_y="NEXT")
        body = bytes(pdf.output())
    log_action(actor=user, verb="person.export", object_type="people.person", area_code=forum.area_code,
               data={"rows": len(rows), "forum": forum.pk, "format": "pdf", "list": "forum"})
    return body, len(rows)
