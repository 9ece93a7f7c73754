"""The draft tambon plan as Excel (openpyxl) and as a Thai PDF (fpdf2, Sarabun, text shaping on,
Buddhist Era dates). Programmes by dimension with villages, people, budget lines and their funding
sources, the responsible organisation, status and progress. Counts only: no names, no health data.
Each export is written to the audit log."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from chumchon.care.models import Dimension, Programme
from chumchon.care.tambon_plan_selectors import programme_list
from chumchon.core.audit import log_action
from chumchon.core.spreadsheet import safe_cell
from chumchon.core.thai import format_be
from chumchon.people.validation import today
from chumchon.visits.forum_pdf import FONT, font_dir

COLUMN_WIDTHS = (58, 40, 16, 62, 26, 45, 30)  # mm, A4 landscape (277 mm inside the margins)


def _villages(programme: Programme) -> str:
    return ", ".join(sorted(area.label for area in programme.villages.all()))


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _lines(programme: Programme) -> list[Any]:
    return list(programme.budget_lines.all())


def _headings() -> list[str]:
    return [_("Programme"), _("Villages"), _("People"), _("Budget lines"), _("Amount (baht)"), _("Funding source"),
            _("Responsible organisation"), _("Status"), _("Progress (%)")]


def _title(tambon: Any, year: int) -> str:
    return _("Draft tambon plan, fiscal year %(year)s: %(tambon)s") % {"year": year, "tambon": tambon.label}


def render_xlsx(*, user: Any, fiscal_year: int, area_code: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    tambon, programmes = programme_list(user=user, fiscal_year=fiscal_year, area_code=area_code)
    with translation.override("th"):
        book = Workbook()
        sheet = book.active
        sheet.title = str(_("Tambon plan"))[:31]
        sheet.append([_title(tambon, fiscal_year)])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([_("Printed on %(date)s") % {"date": format_be(today(), style="long")}])
        sheet.append([])
        sheet.append([_("Dimension"), *_headings()])
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        total = Decimal("0")
        for programme in programmes:
            lines = _lines(programme) or [None]
            for index, line in enumerate(lines):
                first = index == 0
                sheet.append([
                    str(Dimension(programme.dimension).label) if first else "",
                    safe_cell(programme.name) if first else "", safe_cell(_villages(programme)) if first else "",
                    programme.people_count if first else None,
                    safe_cell(line.description) if line else "", float(line.amount) if line else None,
                    safe_cell(line.funding_source) if line else "",
                    safe_cell(programme.responsible_organisation.name if programme.responsible_organisation else "")
                    if first else "",
                    str(programme.get_status_display()) if first else "", programme.progress if first else None,
                ])
                if line:
                    total += line.amount
        sheet.append([])
        sheet.append(["", _("Total budget"), "", None, "", float(total)])
        for column, width in zip("ABCDEFGHIJ", (22, 40, 30, 10, 36, 16, 28, 30, 16, 12), strict=True):
            sheet.column_dimensions[column].width = width
        buffer = io.BytesIO()
        book.save(buffer)
    log_action(actor=user, verb="tambon_plan.export", object_type="care.programme", area_code=tambon.code,
               data={"fiscal_year": fiscal_year, "format": "xlsx", "programmes": len(programmes)})
    return buffer.getvalue()


class TambonPlanPDF(FPDF):
    def __init__(self, *, running_title: str, printed: str) -> None:
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.running_title, self.printed = running_title, printed
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


def render_pdf(*, user: Any, fiscal_year: int, area_code: str = "") -> bytes:
    tambon, programmes = programme_list(user=user, fiscal_year=fiscal_year, area_code=area_code)
    with translation.override("th"):
        title = _title(tambon, fiscal_year)
        pdf = TambonPlanPDF(running_title=title,
                            printed=_("Printed on %(date)s") % {"date": format_be(today(), style="long")})
        pdf.add_page()
        pdf.set_font(FONT, "B", 16)
        pdf.cell(0, 9, title, new_x="LMARGIN", new_y="NEXT", align="C")
        total = Decimal("0")
        for dimension in Dimension:
            rows = [p for p in programmes if p.dimension == dimension.value]
            if not rows:
                continue
            pdf.ln(3)
            pdf.set_font(FONT, "B", 13)
            pdf.cell(0, 8, _("Dimension: %(name)s") % {"name": dimension.label}, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(FONT, "", 10)
            with pdf.table(col_widths=COLUMN_WIDTHS, line_height=6,
                           headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
                           text_align=("LEFT", "LEFT", "CENTER", "LEFT", "RIGHT", "LEFT", "LEFT")) as table:
                table.row([_("Programme"), _("Villages"), _("People"), _("Budget lines and funding sources"),
                           _("Amount (baht)"), _("Responsible organisation"), _("Status and progress")])
                for programme in rows:
                    lines = _lines(programme)
                    amount = sum((line.amount for line in lines), Decimal("0"))
                    total += amount
                    table.row([
                        programme.name, _villages(programme), str(programme.people_count),
                        "\n".join(f"{line.description} ({line.funding_source}) {_money(line.amount)}"
                                  for line in lines) or "-",
                        _money(amount),
                        programme.responsible_organisation.name if programme.responsible_organisation else "-",
                        f"{programme.get_status_display()} {programme.progress}%",
                    ])
        if not programmes:
            pdf.ln(4)
            pdf.cell(0, 7, _("No programmes yet: draft them from the needs found."), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font(FONT, "B", 12)
        pdf.cell(0, 7, _("Total budget: %(amount)s baht") % {"amount": _money(total)}, new_x="LMARGIN",
                 new_y="NEXT")
        body = bytes(pdf.output())
    log_action(actor=user, verb="tambon_plan.export", object_type="care.programme", area_code=tambon.code,
               data={"fiscal_year": fiscal_year, "format": "pdf", "programmes": len(programmes)})
    return body
