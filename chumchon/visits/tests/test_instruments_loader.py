"""The loader: every problem in a definition file is reported with the line it is on, for YAML
and for JSON, and all of them at once."""

from __future__ import annotations

import json
import textwrap

import pytest
from django.utils import translation

from chumchon.visits.instruments.loader import parse_definition
from chumchon.visits.instruments.registry import DEFINITIONS
from chumchon.visits.instruments.schema import DefinitionError

GOOD = textwrap.dedent("""\
    code: mini
    version: 2
    title: {th: แบบย่อ, en: Mini}
    subject: person
    scoring: {method: sum}
    groups:
      - code: only
        title: หน้าเดียว
        items:
          - code: walks
            type: choice
            label: เดินได้
            options:
              - {value: "no", score: 0, label: ไม่ได้}
              - {value: "yes", score: 1, label: ได้}
          - code: falls
            type: yes_no
            label: หกล้ม
            show_if: {item: walks, equals: "yes"}
    classifications:
      - {code: low, min: 0, max: 0, label: ต่ำ}
      - {code: high, min: 1, max: 1, label: สูง}
    flags:
      - {code: fell, severity: high, label: หกล้ม, when: {item: falls, equals: "yes"}}
    follow_up:
      - {days: 90}
    """)


def problems(text: str, fmt: str = "yaml") -> list[tuple[int, str]]:
    """The problems in English, whatever language the test run is in (the messages are checked as
    written in the code; the Thai catalogue is checked by core/tests/test_i18n.py)."""
    with pytest.raises(DefinitionError) as caught, translation.override("en"):
        parse_definition(text, fmt)
    return caught.value.problems


def line_with(text: str, fragment: str) -> int:
    """The last line holding ``fragment``."""
    return [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line][-1]


def test_a_good_definition_loads() -> None:
    instrument = parse_definition(GOOD, "yaml")
    assert (instrument.code, instrument.version, instrument.source) == ("mini", 2, "custom")
    assert [o.value for o in instrument.item("walks").options] == ["no", "yes"]  # type: ignore[union-attr]


def test_unquoted_yes_and_no_stay_words() -> None:
    instrument = parse_definition(GOOD.replace('"no"', "no").replace('"yes"', "yes"), "yaml")
    assert [o.value for o in instrument.item("walks").options] == ["no", "yes"]  # type: ignore[union-attr]
    assert instrument.flags[0].when == {"item": "falls", "equals": "yes"}


@pytest.mark.parametrize(("old", "new", "marker", "words"), [
    ("        type: yes_no", "        type: yesno", "type: yesno", "answer type"),
    ("        label: หกล้ม", "        label: หกล้ม\n        colour: red", "colour: red", "colour"),
    ("      - code: falls", "      - code: walks", "- code: walks", "twice"),
    ("{item: walks, equals", "{item: runs, equals", "item: runs", "runs"),
    ('{value: "yes", score: 1, label: ได้}', '{value: "yes", label: ได้}', "- code: walks", "score"),
    ("{code: high, min: 1, max: 1", "{code: high, min: 0, max: 1", "code: high", "overlaps"),
    ("{code: high, min: 1, max: 1", "{code: high, min: 2, max: 3", "code: high", "no band"),
    ("severity: high", "severity: extreme", "severity: extreme", "severity"),
    ("when: {item: falls", "when: {classification: medium, item: falls", "classification: medium", "all"),
    ("  - {days: 90}", "  - {weeks: 12}", "weeks: 12", "weeks"),
    ("version: 2", "version: two", "version: two", "whole number"),
    ("subject: person", "subject: village", "subject: village", "subject"),
    ("show_if: {item: walks", "show_if: {item: falls", "show_if: {item: falls", "falls"),
])
def test_each_problem_points_at_its_line(old: str, new: str, marker: str, words: str) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new)
    found = problems(text)
    assert any(line == line_with(text, marker) and words in message for line, message in found), found


def test_a_missing_key_points_at_its_mapping() -> None:
    text = GOOD.replace("        label: หกล้ม\n", "")
    assert (line_with(text, "- code: falls"), "The key “label” is missing.") in problems(text)


def test_a_key_given_twice_points_at_the_second() -> None:
    text = GOOD.replace("subject: person\n", "subject: person\nsubject: household\n")
    assert problems(text)[0][0] == line_with(text, "subject: household")


def test_a_yaml_syntax_error_points_at_its_line() -> None:
    text = GOOD.replace("    title: {th: แบบย่อ, en: Mini}", "    title: {th: แบบย่อ, en: Mini")
    text = text.replace("code: mini\nversion: 2\ntitle: {th: แบบย่อ, en: Mini}", "code: mini\nversion: 2\ntitle: [x")
    found = problems(text)
    assert len(found) == 1 and found[0][0] in (3, 4)


def test_all_problems_are_reported_at_once_in_line_order() -> None:
    text = GOOD.replace("type: yes_no", "type: yesno").replace("severity: high", "severity: extreme")
    found = problems(text)
    assert [line for line, _m in found] == [line_with(text, "type: yesno"), line_with(text, "severity: extreme")]


def as_json() -> str:
    import yaml

    return json.dumps(yaml.safe_load(GOOD.replace('"no"', "nope").replace('"yes"', "yep")
                                     .replace("equals: yep", "equals: yep")), ensure_ascii=False, indent=2)


def test_json_definitions_load_and_problems_point_at_the_json_line() -> None:
    text = as_json()
    assert parse_definition(text, "json").code == "mini"
    broken = text.replace('"yes_no"', '"yesno"')
    assert any(line == line_with(broken, '"yesno"') for line, _m in problems(broken, "json"))
    tabbed = text.replace("  ", "\t")
    assert parse_definition(tabbed, "json").code == "mini"


def test_a_json_syntax_error_points_at_its_line() -> None:
    text = as_json().replace('"subject": "person",', '"subject": "person"')
    found = problems(text, "json")
    assert len(found) == 1 and found[0][0] == line_with(text, '"subject": "person"') + 1
    assert "JSON" in found[0][1]


def test_growth_bands_with_a_gap_are_refused() -> None:
    text = (DEFINITIONS / "growth.v1.yaml").read_text(encoding="utf-8")
    broken = text.replace("{code: rather_short, gte: -2, lt: -1.5", "{code: rather_short, gte: -1.9, lt: -1.5")
    found = problems(broken)
    assert any(line == line_with(broken, "code: rather_short") and "gap" in message for line, message in found)


def test_an_empty_file_is_refused() -> None:
    assert problems("") == [(1, "The file is empty.")]
    assert problems("- a\n- b\n")[0][1].startswith("Expected a mapping")
