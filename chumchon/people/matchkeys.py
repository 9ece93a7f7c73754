"""Keys for the duplicate check at entry, precomputed on every person (``dup_key_first``,
``dup_key_last``) so that "who might this already be?" is one indexed lookup even in a registry
of a million people.

A key is ``<tambon code>|<birth year>|<lk82 sound of the Thai-normalised name>``: two spellings of
one name that sound alike (สมศักดิ์/สมสัก, ณัฐพล/นัฐพล) share a key. Keys are empty when the
birth year or the name is unknown: the check then relies on the national ID alone.

Names are compared after the linkage engine's Thai folding (``chumchon.linkage.normalise``).
"""

from __future__ import annotations

import re
from datetime import date

from pythainlp.soundex import lk82

from chumchon.core.thai import normalize_text

TITLES = (
    "นางสาว", "น.ส.", "นส.", "นาง", "นาย", "ด.ช.", "ดช.", "ด.ญ.", "ดญ.", "เด็กชาย", "เด็กหญิง",
    "พระ", "ร.ต.", "ส.ต.", "จ.ส.อ.", "ดร.",
)


def strip_title(name: str) -> tuple[str, str]:
    """(title, rest) for a name typed with its title in front."""
    text = normalize_text(name)
    for title in sorted(TITLES, key=len, reverse=True):
        if text.startswith(title) and len(text) > len(title):
            return title, text[len(title):].strip()
    return "", text


def fold_thai_name(name: str, *, has_title: bool = False) -> str:
    """The name as it sounds, for comparison: the linkage engine's Thai folding
    (``chumchon.linkage.normalise.fold_name``: no tone marks or silent letters, similar letters
    folded, no spaces); ``has_title`` strips a title typed in front first.
    ``fold_thai_name("นายสมศักดิ์", has_title=True) == fold_thai_name("สมสัก")``."""
    from chumchon.linkage.normalise import fold_name

    rest = strip_title(name)[1] if has_title else normalize_text(name)
    return fold_name(rest)


def name_sound(name: str) -> str:
    """lk82 of a first or last name (lk82 itself drops tone marks and silent letters and folds
    similar letters); a name with no Thai letters keys on its spelling. Titles are not stripped
    here: a first name may well begin like one (นางนวล)."""
    rest = "".join(normalize_text(name).split())
    if not rest:
        return ""
    if not re.search("[\u0e01-\u0e2e]", rest):
        return rest.lower()[:12]
    try:
        return lk82(rest) or fold_thai_name(rest)[:12]
    except Exception:  # pythainlp can choke on mixed input
        return fold_thai_name(rest)[:12]


def dup_key(tambon_code: str, birth_year: int | None, name: str) -> str:
    sound = name_sound(name)
    if not (tambon_code and birth_year and sound):
        return ""
    return f"{tambon_code[:6]}|{birth_year}|{sound}"[:40]


def typed_variants(name: str) -> list[str]:
    """The name as typed, plus the names it becomes with one slip undone: two neighbouring letters
    swapped back, or one stray letter removed. Their sounds find a record even when the slip
    changed the sound of the name (a vowel typed before its consonant)."""
    text = "".join(normalize_text(name).split())
    out = [text]
    if len(text) > 30:
        return out
    for i in range(len(text) - 1):
        out.append(text[:i] + text[i + 1] + text[i] + text[i + 2:])
    if len(text) > 3:
        out += [text[:i] + text[i + 1:] for i in range(len(text))]
    return list(dict.fromkeys(out))


def typed_dup_keys(area_code: str, birth_year: int | None, name: str) -> list[str]:
    """The keys to look up for a name being typed: its own and those of ``typed_variants``."""
    if not (birth_year and name):
        return []
    return list(dict.fromkeys(key for key in (dup_key(area_code, birth_year, v) for v in typed_variants(name))
                              if key))


def person_dup_keys(*, area_code: str, birth_date: date | None, first_name: str,
                    last_name: str) -> tuple[str, str]:
    year = birth_date.year if birth_date else None
    return dup_key(area_code, year, first_name), dup_key(area_code, year, last_name)
