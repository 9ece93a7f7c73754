"""Load the Thai area tree from geothai. Idempotent: run it as often as you like."""

from __future__ import annotations

from datetime import date
from typing import Any

import geothai
from geothai import abolished as geothai_abolished


def geothai_rows() -> list[dict[str, Any]]:
    """Every province, district and subdistrict (active and abolished), parents first."""
    rows: list[dict[str, Any]] = []
    for province in geothai.provinces():
        rows.append({"code": province.code, "level": "province", "parent_id": None,
                     "name_th": province.name_th, "name_en": province.name_en or ""})
    districts = [d for p in geothai.provinces() for d in geothai.districts(p.code)]
    for district in districts:
        rows.append({"code": district.code, "level": "district", "parent_id": district.province_code,
                     "name_th": district.name_th, "name_en": district.name_en or ""})
    for district in districts:
        for sub in geothai.subdistricts(district.code):
            rows.append({"code": sub.code, "level": "subdistrict", "parent_id": sub.district_code,
                         "name_th": sub.name_th, "name_en": sub.name_en or "",
                         "postcodes": ",".join(sub.postal_codes)})
    known = {row["code"] for row in rows}
    order = {"province": 0, "district": 1, "subdistrict": 2}
    gone = sorted(geothai_abolished.abolished_areas(), key=lambda a: (order[a.level], a.code))
    for old in gone:
        if old.code in known:
            continue
        parent = old.parent_code if old.parent_code in known else None
        rows.append({"code": old.code, "level": old.level, "parent_id": parent,
                     "name_th": old.name_th, "name_en": old.name_en or "", "is_active": False,
                     "successors": list(old.successors),
                     "abolished_on": date.fromisoformat(old.abolished_on) if old.abolished_on else None})
        known.add(old.code)
    return rows


def load_areas(area_model: Any) -> dict[str, int]:
    """Insert missing areas and update changed ones, in bulk. Returns counts."""
    rows = geothai_rows()
    existing = {area.code: area for area in area_model.objects.filter(level__in=list(
        {"province", "district", "subdistrict"}))}
    fields = ["level", "parent_id", "name_th", "name_en", "postcodes", "is_active", "successors",
              "abolished_on"]
    defaults = {"postcodes": "", "is_active": True, "successors": [], "abolished_on": None}
    to_create, to_update = [], []
    for row in rows:
        values = {**defaults, **row}
        current = existing.get(row["code"])
        if current is None:
            to_create.append(area_model(**values))
        elif any(getattr(current, name) != values[name] for name in fields):
            for name in fields:
                setattr(current, name, values[name])
            to_update.append(current)
    area_model.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        area_model.objects.bulk_update(to_update, fields, batch_size=2000)
    return {"created": len(to_create), "updated": len(to_update), "total": len(rows)}
