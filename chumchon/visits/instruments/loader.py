"""Parse and validate a definition file (YAML or JSON) into an ``Instrument``.

Every problem found is collected with its line number; a file with any problem raises
``DefinitionError`` listing them all, so an administrator can fix a file in one pass.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.utils.translation import gettext as _

from chumchon.visits.instruments import conditions
from chumchon.visits.instruments.methods import METHODS, band_cover_problems
from chumchon.visits.instruments.schema import (
    ANSWER_TYPES,
    SEVERITIES,
    SUBJECTS,
    Band,
    DefinitionError,
    DerivedResult,
    Flag,
    FollowUp,
    Group,
    Instrument,
    Item,
    Option,
    ResultRule,
    Target,
    Text,
)
from chumchon.visits.instruments.yamlnodes import Path, line_of, read

CODE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
KEYS = {
    "top": ({"code", "version", "title", "subject", "groups"},
            {"description", "scoring", "classifications", "results", "flags", "follow_up", "target", "settings",
             "active"}),
    "group": ({"code", "title", "items"}, {"show_if"}),
    "item": ({"code", "type", "label"}, {"required", "options", "min", "max", "unit", "help", "show_if", "domain"}),
    "option": ({"value", "label"}, {"score", "valid_if"}),
    "band": ({"code", "label"}, {"min", "max", "when", "severity"}),
    "flag": ({"code", "label", "severity", "when"}, set()),
    "follow_up": (set(), {"when", "days", "at_age_months"}),
    "target": (set(), {"min_age_months", "max_age_months", "person_flags"}),
    "result": ({"key", "label"}, {"kind", "rules", "default"}),
    "rule": ({"value"}, {"when", "label"}),
    "text": ({"th"}, {"en"}),
}
RESULT_KINDS = ("first", "collect", "count")
PERSON_FLAGS = ("is_disabled", "is_awaiting_rehab", "is_bedbound", "is_poor")


def parse_definition(text: str, fmt: str = "yaml", *, source: str = "custom") -> Instrument:
    """``fmt`` is "yaml" or "json" (both read by the YAML composer, so both have line numbers;
    JSON is first checked as strict JSON so its syntax errors point at the right place)."""
    if fmt == "json":
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise DefinitionError([(exc.lineno, _("Not valid JSON: %(problem)s.") % {"problem": exc.msg})]) from None
        # Valid JSON has tabs only as whitespace, which YAML refuses for indentation; same lines.
        text = text.replace("\t", " ")
    data, lines, problems = read(text)
    if problems:
        raise DefinitionError(problems)
    parser = _Parser(lines)
    instrument = parser.instrument(data, source)
    if parser.problems or instrument is None:
        raise DefinitionError(sorted(parser.problems, key=lambda p: p[0]) or [(0, _("Unusable file."))])
    return instrument


class _Parser:
    def __init__(self, lines: dict[Path, int]):
        self.lines = lines
        self.problems: list[tuple[int, str]] = []
        self.band_hint: list[str] = []
        self.item_paths: dict[str, Path] = {}

    def bad(self, path: Path, message: str) -> None:
        self.problems.append((line_of(self.lines, path), message))

    # -- generic pieces ---------------------------------------------------------------------

    def mapping(self, data: Any, path: Path, kind: str) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.bad(path, _("Expected a mapping (key: value) here."))
            return None
        required, optional = KEYS[kind]
        for key in sorted(required - set(data)):
            self.bad(path, _("The key “%(key)s” is missing.") % {"key": key})
        for key in sorted(set(data) - required - optional):
            self.bad((*path, key), _("Unknown key “%(key)s”.") % {"key": key})
        return data

    def listing(self, data: Any, path: Path) -> list[Any]:
        if data is None:
            return []
        if not isinstance(data, list):
            self.bad(path, _("Expected a list here."))
            return []
        return data

    def text(self, data: Any, path: Path) -> Text:
        if isinstance(data, str) and data.strip():
            return Text(th=data.strip())
        if isinstance(data, dict):
            self.mapping(data, path, "text")
            th, en = data.get("th"), data.get("en", "")
            if isinstance(th, str) and th.strip() and isinstance(en, str):
                return Text(th=th.strip(), en=en.strip())
        self.bad(path, _("Expected a text, or {th: Thai text, en: English text}."))
        return Text(th="?")

    def code(self, data: Any, path: Path, seen: set[str] | None = None) -> str:
        if not isinstance(data, str) or not CODE.match(data):
            self.bad(path, _("A code is lower-case letters, digits and _ (starting with a letter), "
                             "at most 60 characters."))
            return str(data)
        if seen is not None:
            if data in seen:
                self.bad(path, _("The code “%(code)s” is used twice.") % {"code": data})
            seen.add(data)
        return data

    def number(self, data: Any, path: Path, *, integer: bool = False, minimum: float | None = None) -> Any:
        ok = isinstance(data, int | float) and not isinstance(data, bool)
        if ok and integer and not isinstance(data, int):
            ok = False
        if ok and minimum is not None and data < minimum:
            ok = False
        if not ok:
            if integer:
                self.bad(path, _("Expected a whole number of at least %(min)s.") % {"min": minimum or 0})
            else:
                self.bad(path, _("Expected a number."))
            return None
        return data

    def condition(self, data: Any, path: Path, scope: conditions.Scope) -> dict[str, Any] | None:
        if data is None:
            return None
        conditions.check(data, scope, lambda message: self.bad(path, message))
        return data if isinstance(data, dict) else None

    def severity(self, data: Any, path: Path, *, blank: bool = False) -> str:
        allowed = (*SEVERITIES, "") if blank else SEVERITIES
        if data not in allowed:
            self.bad(path, _("The severity must be one of: %(values)s.") % {"values": ", ".join(SEVERITIES)})
            return ""
        return str(data)

    def skip_scope(self, asked: list[str]) -> conditions.Scope:
        """A skip rule may read the answers given before it and the previous result."""
        return conditions.Scope(items=list(asked), classifications=self.band_hint)

    # -- the instrument ---------------------------------------------------------------------

    def instrument(self, data: Any, source: str) -> Instrument | None:
        top = self.mapping(data, (), "top")
        if top is None:
            return None
        code = self.code(top.get("code"), ("code",))
        version = self.number(top.get("version"), ("version",), integer=True, minimum=1) or 1
        title = self.text(top.get("title"), ("title",))
        subject = top.get("subject")
        if subject not in SUBJECTS:
            self.bad(("subject",), _("The subject must be one of: %(values)s.") % {"values": ", ".join(SUBJECTS)})
        raw_bands = top.get("classifications")
        # Skip rules may ask about the previous result, so the codes are needed before the groups.
        if isinstance(raw_bands, list):
            self.band_hint = [str(b.get("code")) for b in raw_bands if isinstance(b, dict)]
        groups = self.groups(top.get("groups"))
        items = {item.code: item for group in groups for item in group.items}
        scoring = self.scoring(top.get("scoring") or {"method": "none"}, items)
        method = METHODS.get(scoring.get("method", "none"))
        method_results = set(method.result_keys) if method else set()
        bands = self.bands(top.get("classifications"), items, scoring, method_results)
        band_codes = [band.code for band in bands]
        results = self.results(top.get("results"), items, band_codes, method_results)
        all_results = method_results | {r.key for r in results}
        full = conditions.Scope(items=items, classifications=band_codes, results=all_results, score=True,
                                classification=True)
        flags = self.flags(top.get("flags"), full)
        follow_up = self.follow_up(top.get("follow_up"), full)
        target = self.target(top.get("target"))
        settings = top.get("settings") or {}
        if not isinstance(settings, dict):
            self.bad(("settings",), _("Expected a mapping (key: value) here."))
            settings = {}
        active = top.get("active", True)
        if not isinstance(active, bool):
            self.bad(("active",), _("Expected true or false."))
        description = self.text(top["description"], ("description",)) if "description" in top else None
        return Instrument(code=code, version=version, title=title, subject=str(subject), groups=groups,
                          scoring=scoring, classifications=bands, flags=flags, follow_up=follow_up,
                          target=target, description=description, settings=settings, source=source,
                          results=results, active=active is not False)

    def groups(self, data: Any) -> tuple[Group, ...]:
        raw = self.listing(data, ("groups",))
        if data is not None and not raw:
            self.bad(("groups",), _("An instrument needs at least one group of items."))
        groups: list[Group] = []
        group_codes: set[str] = set()
        asked: list[str] = []  # item codes in the order they are asked
        seen: set[str] = set()
        for gi, g in enumerate(raw):
            path: Path = ("groups", gi)
            if self.mapping(g, path, "group") is None:
                continue
            gcode = self.code(g.get("code"), (*path, "code"), group_codes)
            show_if = self.condition(g.get("show_if"), (*path, "show_if"), self.skip_scope(asked))
            items: list[Item] = []
            raw_items = self.listing(g.get("items"), (*path, "items"))
            if "items" in g and not raw_items:
                self.bad((*path, "items"), _("A group needs at least one item."))
            for ii, it in enumerate(raw_items):
                item = self.item(it, (*path, "items", ii), asked, seen)
                if item is not None:
                    items.append(item)
                    asked.append(item.code)
            groups.append(Group(code=gcode, title=self.text(g.get("title"), (*path, "title")), items=tuple(items),
                                show_if=show_if))
        return tuple(groups)

    def item(self, data: Any, path: Path, asked: list[str], seen: set[str]) -> Item | None:
        if self.mapping(data, path, "item") is None:
            return None
        code = self.code(data.get("code"), (*path, "code"), seen)
        self.item_paths.setdefault(code, path)
        kind = data.get("type")
        if kind not in ANSWER_TYPES:
            self.bad((*path, "type"), _("Unknown answer type “%(type)s”; use one of: %(types)s.")
                     % {"type": kind, "types": ", ".join(ANSWER_TYPES)})
        options = self.options(data.get("options"), (*path, "options"))
        if kind in ("choice", "multi") and not options:
            self.bad(path, _("A “%(type)s” item needs options.") % {"type": kind})
        if kind not in ("choice", "multi") and "options" in data:
            self.bad((*path, "options"), _("Only choice items have options."))
        minimum = self.number(data["min"], (*path, "min")) if "min" in data else None
        maximum = self.number(data["max"], (*path, "max")) if "max" in data else None
        if (minimum is not None or maximum is not None) and kind != "number":
            self.bad((*path, "min" if "min" in data else "max"), _("Only number items have min and max."))
        if minimum is not None and maximum is not None and minimum > maximum:
            self.bad((*path, "max"), _("The maximum is below the minimum."))
        required = data.get("required", True)
        if not isinstance(required, bool):
            self.bad((*path, "required"), _("Expected true or false."))
        unit, domain = data.get("unit", ""), data.get("domain", "")
        for key, value in (("unit", unit), ("domain", domain)):
            if not isinstance(value, str):
                self.bad((*path, key), _("Expected a text."))
        show_if = self.condition(data.get("show_if"), (*path, "show_if"), self.skip_scope(asked))
        return Item(code=code, type=str(kind), label=self.text(data.get("label"), (*path, "label")),
                    required=required is not False, options=options, minimum=minimum, maximum=maximum,
                    unit=str(unit), help=self.text(data["help"], (*path, "help")) if "help" in data else None,
                    show_if=show_if, domain=str(domain))

    def options(self, data: Any, path: Path) -> tuple[Option, ...]:
        out: list[Option] = []
        values: set[str] = set()
        for oi, o in enumerate(self.listing(data, path)):
            opath = (*path, oi)
            if self.mapping(o, opath, "option") is None:
                continue
            value = o.get("value")
            if isinstance(value, bool) or not isinstance(value, str | int):
                self.bad((*opath, "value"), _("An option value is a word or a whole number."))
            value = str(value)
            if value in values:
                self.bad((*opath, "value"), _("The option value “%(value)s” is used twice.") % {"value": value})
            values.add(value)
            score = self.number(o["score"], (*opath, "score")) if o.get("score") is not None else None
            # Only the subject's age and facts are known when an option is checked: no items.
            valid_if = self.condition(o.get("valid_if"), (*opath, "valid_if"), conditions.Scope(items=()))
            out.append(Option(value=value, label=self.text(o.get("label"), (*opath, "label")), score=score,
                              valid_if=valid_if))
        return tuple(out)

    def scoring(self, data: Any, items: dict[str, Item]) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.bad(("scoring",), _("Expected a mapping (key: value) here."))
            return {"method": "none"}
        name = data.get("method", "none")
        method = METHODS.get(name)
        if method is None:
            self.bad(("scoring", "method"), _("Unknown scoring method “%(method)s”; use one of: %(methods)s.")
                     % {"method": name, "methods": ", ".join(METHODS)})
            return {"method": "none"}
        for problem_path, message in method.check(data, items):
            if problem_path[:1] == ("@item",):
                self.bad(self.item_paths.get(str(problem_path[1]), ("scoring",)), message)
            else:
                self.bad(("scoring", *problem_path), message)
        return dict(data)

    def bands(self, data: Any, items: dict[str, Item], scoring: dict[str, Any],
              method_results: set[str]) -> tuple[Band, ...]:
        bands: list[Band] = []
        seen: set[str] = set()
        scope = conditions.Scope(items=items, results=method_results, score=True)
        raw = self.listing(data, ("classifications",))
        for bi, b in enumerate(raw):
            path: Path = ("classifications", bi)
            if self.mapping(b, path, "band") is None:
                continue
            minimum = self.number(b["min"], (*path, "min")) if "min" in b else None
            maximum = self.number(b["max"], (*path, "max")) if "max" in b else None
            if minimum is not None and maximum is not None and minimum > maximum:
                self.bad((*path, "max"), _("The maximum is below the minimum."))
            bands.append(Band(code=self.code(b.get("code"), (*path, "code"), seen),
                              label=self.text(b.get("label"), (*path, "label")), minimum=minimum, maximum=maximum,
                              when=self.condition(b.get("when"), (*path, "when"), scope),
                              severity=self.severity(b.get("severity", ""), (*path, "severity"), blank=True)))
        self.check_band_cover(bands, items, scoring)
        return tuple(bands)

    def check_band_cover(self, bands: list[Band], items: dict[str, Item], scoring: dict[str, Any]) -> None:
        method = METHODS.get(scoring.get("method", "none"))
        span = method.score_range(scoring, items) if method else None
        for index, message in band_cover_problems(bands, span):
            self.bad(("classifications",) if index is None else ("classifications", index), message)

    def results(self, data: Any, items: dict[str, Item], band_codes: list[str],
                method_results: set[str]) -> tuple[DerivedResult, ...]:
        out: list[DerivedResult] = []
        keys: set[str] = set(method_results)
        for ri, r in enumerate(self.listing(data, ("results",))):
            path: Path = ("results", ri)
            if self.mapping(r, path, "result") is None:
                continue
            scope = conditions.Scope(items=items, classifications=band_codes, results=set(keys), score=True,
                                     classification=True)
            key = self.code(r.get("key"), (*path, "key"), keys)
            kind = r.get("kind", "first")
            if kind not in RESULT_KINDS:
                self.bad((*path, "kind"), _("The kind must be one of: %(values)s.")
                         % {"values": ", ".join(RESULT_KINDS)})
            rules: list[ResultRule] = []
            for ci, c in enumerate(self.listing(r.get("rules"), (*path, "rules"))):
                cpath = (*path, "rules", ci)
                if self.mapping(c, cpath, "rule") is None:
                    continue
                when = self.condition(c.get("when"), (*cpath, "when"), scope)
                rules.append(ResultRule(value=c.get("value"), when=when,
                                        label=self.text(c["label"], (*cpath, "label")) if "label" in c else None))
            out.append(DerivedResult(key=key, label=self.text(r.get("label"), (*path, "label")), kind=str(kind),
                                     rules=tuple(rules), default=r.get("default")))
        return tuple(out)

    def flags(self, data: Any, scope: conditions.Scope) -> tuple[Flag, ...]:
        out: list[Flag] = []
        seen: set[str] = set()
        for fi, f in enumerate(self.listing(data, ("flags",))):
            path: Path = ("flags", fi)
            if self.mapping(f, path, "flag") is None:
                continue
            when = self.condition(f.get("when"), (*path, "when"), scope)
            out.append(Flag(code=self.code(f.get("code"), (*path, "code"), seen),
                            label=self.text(f.get("label"), (*path, "label")),
                            severity=self.severity(f.get("severity"), (*path, "severity")), when=when or {}))
        return tuple(out)

    def follow_up(self, data: Any, scope: conditions.Scope) -> tuple[FollowUp, ...]:
        out: list[FollowUp] = []
        for fi, f in enumerate(self.listing(data, ("follow_up",))):
            path: Path = ("follow_up", fi)
            if self.mapping(f, path, "follow_up") is None:
                continue
            days = self.number(f["days"], (*path, "days"), integer=True, minimum=1) if "days" in f else None
            ages: list[int] = []
            for ai, age in enumerate(self.listing(f.get("at_age_months"), (*path, "at_age_months"))):
                value = self.number(age, (*path, "at_age_months", ai), integer=True, minimum=0)
                if value is not None:
                    ages.append(value)
            if (days is None) == (not ages):
                self.bad(path, _("A follow-up rule needs either “days” or “at_age_months”."))
            out.append(FollowUp(when=self.condition(f.get("when"), (*path, "when"), scope), days=days,
                                at_age_months=tuple(sorted(ages))))
        return tuple(out)

    def target(self, data: Any) -> Target:
        if data is None:
            return Target()
        if self.mapping(data, ("target",), "target") is None:
            return Target()
        low = data.get("min_age_months")
        high = data.get("max_age_months")
        if low is not None:
            low = self.number(low, ("target", "min_age_months"), integer=True, minimum=0)
        if high is not None:
            high = self.number(high, ("target", "max_age_months"), integer=True, minimum=0)
        person_flags = self.listing(data.get("person_flags"), ("target", "person_flags"))
        for fi, name in enumerate(person_flags):
            if name not in PERSON_FLAGS:
                self.bad(("target", "person_flags", fi), _("Unknown person flag “%(flag)s”; use one of: %(flags)s.")
                         % {"flag": name, "flags": ", ".join(PERSON_FLAGS)})
        return Target(min_age_months=low, max_age_months=high, person_flags=tuple(map(str, person_flags)))
