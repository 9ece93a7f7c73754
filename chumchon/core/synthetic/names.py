"""Thai names with the skew of a real register: a few first names very common (Zipf-like), older
people with the short names of their generation, a tambon dominated by a few family clans,
nicknames by sex and generation, and plausible southern village names (บ้าน…).

Name lists come from pythainlp's corpus (sorted, so nothing depends on set order); the ranking is
fixed by a constant seed, so the same names are common in every synthetic tambon, as they are in
the country.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

# The rank order of first names is the same for every tambon: common names are common everywhere.
_RANK_SEED = 25_680_101

# Names that really are very common in the generations now 40+; they head the ranking when the
# corpus has them.
COMMON_MALE = ("สมชาย", "สมศักดิ์", "สมพงษ์", "ประเสริฐ", "สมบูรณ์", "วิชัย", "บุญมี", "สมหมาย", "ประยูร",
               "สุชาติ", "อนันต์", "ชัยวัฒน์", "สมนึก", "ประสิทธิ์", "สุรชัย")
COMMON_FEMALE = ("สมศรี", "สมจิตร", "มาลี", "บุญเรือน", "วันเพ็ญ", "สุนีย์", "กาญจนา", "สมพร", "ประไพ",
                 "จันทร์เพ็ญ", "อำไพ", "ละเอียด", "สุภาพ", "ทองใบ", "บุญมา")

# Family-name pieces common in the south (Phatthalung: ชู…, แก้ว…, …ทอง, คง…): clans drawn for a
# tambon favour them a little.
SOUTHERN_PIECES = ("แก้ว", "ทอง", "ชู", "คง", "เพชร", "จันทร์", "ขาว", "หนู", "สุข", "ช่วย", "ด้วง", "นุ้ย",
                   "เส้ง", "ศรี", "พรหม", "รักษ์")

NICKNAMES = {
    # (sex, generation): names. Generation "old" = born before 1975, "mid" = 1975–1999, "young" after.
    ("male", "old"): ("แดง", "ดำ", "น้อย", "เล็ก", "ใหญ่", "หนู", "เขียว", "จุก", "เปี๊ยก", "ป้อม", "อ้วน",
                      "ยาว", "แก้ว", "ทอง", "เหลียง", "ขาว", "หมึก", "นุ้ย", "เอียด", "บ่าว"),
    ("female", "old"): ("แดง", "น้อย", "เล็ก", "หนู", "ติ๋ม", "แก้ว", "อ้วน", "แป้น", "ต้อย", "จิ๋ว", "เอียด",
                        "นุ้ย", "สาว", "แอ๊ด", "ศรี", "พร", "แจ๋ว", "ลี", "เพ็ญ", "ผ่อง"),
    ("male", "mid"): ("ต้อม", "เอก", "โต้ง", "เอ", "บอล", "ตั้ม", "หนึ่ง", "เก่ง", "ตี๋", "ต้น", "โอ๊ต", "อาร์ม",
                      "กอล์ฟ", "เบียร์", "แบงค์", "บอย", "เจ", "เอ็ม", "นัท", "ป๊อป"),
    ("female", "mid"): ("แนน", "ปู", "ตุ๊ก", "นก", "แหม่ม", "ปุ๋ย", "หน่อย", "ฝน", "แอน", "จอย", "ปลา", "เมย์",
                        "นุช", "อ้อ", "กุ้ง", "ก้อย", "ออย", "ฝ้าย", "แพร", "ปอ"),
    ("male", "young"): ("ภูมิ", "ภู", "ต้นข้าว", "ไอซ์", "กัปตัน", "ไทเกอร์", "ข้าวหอม", "ปลื้ม", "ธาม", "ภีม",
                        "เจได", "ซัน", "ไอดิน", "ปัณณ์", "โชกุน", "ข้าวปุ้น", "บีม", "เก้า", "ฟิวส์", "น้ำมนต์"),
    ("female", "young"): ("ฟ้า", "มิ้นท์", "ใบเตย", "พลอย", "ข้าวหอม", "ไอซ์", "แพรวา", "น้ำใส", "ใบบัว", "เฟิร์น",
                          "ปาย", "ขิม", "มะปราง", "น้ำผึ้ง", "ออม", "ญาญ่า", "ข้าวฟ่าง", "พิม", "อิง", "เนย"),
}

VILLAGE_HEADS = ("ควน", "ทุ่ง", "หนอง", "คลอง", "ท่า", "นา", "เขา", "หาน", "ปลัก", "พรุ", "โหล๊ะ", "ไส", "บ่อ",
                 "ต้น", "หัว", "ลาน", "วัง", "ป่า")
VILLAGE_TAILS = ("ยาว", "ใหญ่", "ไทร", "ม่วง", "ขาม", "แดง", "หาร", "นุ้ย", "หว้า", "ยูง", "พร้าว", "ปริง",
                 "เหรียง", "เนียง", "จิก", "กลาง", "ทอง", "ช้าง", "เสือ", "ลุง", "หมาก", "โตนด", "ตะเคียน", "ยาง",
                 "สะตอ", "มะพร้าว", "ไม้แดง", "นาวง", "หยี", "ควาย")


def generation(birth_year: int) -> str:
    if birth_year < 1975:
        return "old"
    if birth_year < 2000:
        return "mid"
    return "young"


@dataclass(frozen=True)
class Weighted:
    """Items with cumulative weights: draw with one random number and a bisect."""

    items: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, items: Sequence[str], weights: Sequence[float]) -> Weighted:
        return cls(tuple(items), tuple(itertools.accumulate(weights)))

    def draw(self, rng: random.Random) -> str:
        point = rng.random() * self.cumulative[-1]
        return self.items[bisect.bisect_right(self.cumulative, point)]

    def share_of_top(self, count: int) -> float:
        return self.cumulative[count - 1] / self.cumulative[-1]


def zipf_weights(count: int, *, exponent: float = 1.0, offset: float = 2.0) -> list[float]:
    """Weight of rank r (1-based) ∝ 1 / (r + offset)^exponent."""
    return [1.0 / (rank + offset) ** exponent for rank in range(1, count + 1)]


@cache
def _corpus() -> dict[str, tuple[str, ...]]:
    from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names

    return {
        "male": _plain_names(thai_male_names()),
        "female": _plain_names(thai_female_names()),
        "family": _plain_names(thai_family_names()),
    }


# The corpora hold a few entries that carry a title or an abbreviation ("นาย", "ครูมานิตย์",
# "ป.เสฎฐวุฒิ"); a register never stores those as names.
_NOT_A_NAME = re.compile(r"^(?:นาย|นาง|ครู|พระ|หมอ|ดร\.)|[.\s]")


def _plain_names(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(name for name in names if name and not _NOT_A_NAME.search(name)))


def _ranked(names: tuple[str, ...], common: tuple[str, ...]) -> list[str]:
    known = set(names)
    present = [name for name in common if name in known]
    rest = [name for name in names if name not in set(present)]
    random.Random(_RANK_SEED).shuffle(rest)
    return present + rest


def _era_factor(name: str, era: str) -> float:
    """Older Thais carry short names (สมศรี, บุญมา); the young, long Sanskrit ones (ณัฐวุฒิ)."""
    length = len(name)
    if era == "old":
        return 4.0 if length <= 5 else 1.0 if length <= 7 else 0.15
    if era == "young":
        return 0.3 if length <= 4 else 1.0 if length <= 7 else 2.5
    return 1.0


@cache
def first_names(sex: str, era: str) -> Weighted:
    """First names of one sex and generation, Zipf-weighted by the fixed national rank."""
    ranked = _ranked(_corpus()[sex], COMMON_MALE if sex == "male" else COMMON_FEMALE)
    base = zipf_weights(len(ranked), exponent=1.05, offset=12.0)
    return Weighted.of(ranked, [w * _era_factor(name, era) for name, w in zip(ranked, base, strict=True)])


def family_name_pool(rng: random.Random, households: int) -> Weighted:
    """The clans of one tambon: about one family name per three households, a few very large."""
    names = _corpus()["family"]
    southern = [name for name in names if any(piece in name for piece in SOUTHERN_PIECES)]
    count = max(12, households // 3)
    chosen: list[str] = []
    seen: set[str] = set()
    while len(chosen) < count:
        source = southern if rng.random() < 0.45 else names
        name = source[rng.randrange(len(source))]
        if name not in seen:
            seen.add(name)
            chosen.append(name)
    return Weighted.of(chosen, zipf_weights(count, exponent=1.0, offset=3.0))


def any_family_name(rng: random.Random) -> str:
    """A family name from anywhere in the country (someone who married in)."""
    names = _corpus()["family"]
    return names[rng.randrange(len(names))]


@cache
def _nicknames(sex: str, era: str) -> Weighted:
    choices = NICKNAMES[(sex, era)]
    # Nicknames are Zipf-skewed too: every village has several แดง and น้อย.
    return Weighted.of(choices, zipf_weights(len(choices), exponent=1.0, offset=1.0))


def nickname(rng: random.Random, sex: str, birth_year: int) -> str:
    return _nicknames(sex, generation(birth_year)).draw(rng)


def village_names(rng: random.Random, tambon_name: str, count: int) -> list[str]:
    """``count`` distinct names; หมู่ 1 usually carries the tambon's own name."""
    names: list[str] = []
    if count and not tambon_name.startswith("บ้าน"):
        names.append(f"บ้าน{tambon_name}")
    while len(names) < count:
        name = f"บ้าน{rng.choice(VILLAGE_HEADS)}{rng.choice(VILLAGE_TAILS)}"
        if name not in names:
            names.append(name)
    return names[:count]
