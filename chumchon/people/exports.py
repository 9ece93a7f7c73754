"""Lists of people for paper: CSV that Excel opens in Thai (UTF-8 with BOM). Every export of
names is written to the audit log (PDPA), with the filters used and the number of rows."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can, read_area_codes
from chumchon.core.audit import log_action
from chumchon.core.spreadsheet import safe_row
from chumchon.core.thai import age_in_years, format_be, format_national_id, mask_ids_in_text
from chumchon.people.selectors import person_groups, person_list
from chumchon.people.validation import today


def person_list_csv(*, user: Any, q: str = "", area_code: str = "", group: str = "") -> tuple[bytes, int]:
    """The people ``user`` may see by name, filtered as on the search page. National IDs are
    masked unless the role needs them in full."""
    people = person_list(user=user, q=q, area_code=area_code, group=group)
    on = today()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Title"), _("First name"), _("Last name"), _("Nickname"), _("Sex"), _("Birth date"),
                     _("Age"), _("National ID"), _("House number"), _("Village"), _("Groups")])
    count = 0
    for person in people.iterator(chunk_size=2000):
        full_id = can(user, Capability.VIEW_FULL_ID, person.area_code)
        national_id = format_national_id(person.national_id or "") if full_id else person.masked_id
        writer.writerow(safe_row([
            person.title, person.first_name, person.last_name, person.nickname,
            person.get_sex_display() if person.sex else "",
            format_be(person.birth_date, style="numeric", year_only=person.birth_year_only),
            age_in_years(person.birth_date, on) if person.birth_date else "",
            national_id, person.household.house_no if person.household else "",
            person.area.label, " ".join(person_groups(person, on=on)),
        ]))
        count += 1
    # One entry in the log of every area the list was drawn from, so each officer sees it.
    for code in read_area_codes(user, area_code):
        log_action(actor=user, verb="person.export", object_type="people.person", area_code=code,
                   data={"rows": count, "q": mask_ids_in_text(q), "area": area_code, "group": group})
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), count
