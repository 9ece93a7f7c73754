"""``chumchon demo``: load the demo tambon, a second tambon to show scoping, and one login per role.

Idempotent: a tambon that the demo already loaded (or that has people of its own) is left alone,
logins that exist are kept, memberships are granted only when missing. Running it twice leaves
the same counts.
"""

from __future__ import annotations

import json
import os
import time
import unicodedata
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from chumchon.accounts.models import User
from chumchon.accounts.roles import Role
from chumchon.accounts.scoping import within_q
from chumchon.accounts.services import membership_grant
from chumchon.areas.models import Area
from chumchon.core.audit import log_action
from chumchon.core.models import AuditEntry
from chumchon.core.synthetic import generate_tambon
from chumchon.people.models import Person

DEMO_TAMBON = "931104"  # ลำสินธุ์, อ.ศรีนครินทร์, จ.พัทลุง
OTHER_TAMBON = "931101"  # ชุมพล, the same district: its volunteer must see nothing of ลำสินธุ์
PROVINCE = "93"
OTHER_VILLAGES = 2
OTHER_PEOPLE = 60
VERB = "demo.load"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    area_code: str
    display_name: str
    organisation: str = ""

    @property
    def password(self) -> str:
        # Fixed and printed: these are demo accounts, never for real data.
        return f"demo-{self.username.replace('_', '-')}-2568"


LOGINS = (
    DemoLogin("volunteer", Role.VOLUNTEER, f"{DEMO_TAMBON}01", "อสม. หมู่ 1 ลำสินธุ์"),
    DemoLogin("caregiver", Role.CAREGIVER, DEMO_TAMBON, "ผู้ดูแลผู้สูงอายุ (CG) ลำสินธุ์"),
    DemoLogin("care_manager", Role.CARE_MANAGER, DEMO_TAMBON, "ผู้จัดการการดูแล (CM) ลำสินธุ์"),
    DemoLogin("tambon_officer", Role.TAMBON_OFFICER, DEMO_TAMBON, "เจ้าหน้าที่ อบต.ลำสินธุ์"),
    DemoLogin("agency_staff", Role.AGENCY_STAFF, DEMO_TAMBON, "เจ้าหน้าที่ รพ.สต.ลำสินธุ์",
              organisation="รพ.สต.ลำสินธุ์"),
    DemoLogin("fund_committee", Role.FUND_COMMITTEE, DEMO_TAMBON, "กรรมการกองทุนสวัสดิการชุมชนลำสินธุ์",
              organisation="กองทุนสวัสดิการชุมชนตำบลลำสินธุ์"),
    DemoLogin("provincial_coordinator", Role.PROVINCIAL_COORDINATOR, PROVINCE, "ผู้ประสานงานจังหวัดพัทลุง"),
    DemoLogin("administrator", Role.ADMINISTRATOR, PROVINCE, "ผู้ดูแลระบบ จังหวัดพัทลุง"),
    DemoLogin("volunteer_chumphon", Role.VOLUNTEER, f"{OTHER_TAMBON}01", "อสม. หมู่ 1 ชุมพล"),
)


# (path, what to see there and as whom), printed at the end of the demo.
WHERE_TO_LOOK = (
    ("/care/plans/", "care plans from the assessments (caregiver writes, care_manager approves)"),
    ("/care/referrals/queue/", "referrals to รพ.สต.ลำสินธุ์: accepted, declined, one overdue (agency_staff)"),
    ("/care/referrals/", "referrals the caregiver sent, with their answers (caregiver)"),
    ("/care/tambon-plan/", "the draft tambon plan for next fiscal year (tambon_officer)"),
    ("/imports/", "the two imported lists: rows read, created, rejected (tambon_officer)"),
    ("/linkage/review/", "possible duplicates waiting for a decision (tambon_officer)"),
    ("/alerts/", "alerts raised by the assessments (volunteer)"),
    ("/alerts/channels/", "how each login gets alerts: LINE, SMS, e-mail (any login)"),
    ("/alerts/stats/", "alert delivery and response figures (tambon_officer)"),
)


def _width(text: str) -> int:
    """Columns a string takes in a terminal: Thai vowel and tone marks above or below take none."""
    return sum(1 for char in text if unicodedata.category(char) not in {"Mn", "Me", "Cf"})


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


class Command(BaseCommand):
    help = ("Load the demo tambon ลำสินธุ์ (931104) with its villages and people, a small second tambon "
            "ชุมพล (931101), and one login per role. Safe to run again.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--people", type=int, default=5000, help="people in ลำสินธุ์ (default 5000)")
        parser.add_argument("--villages", type=int, default=10, help="villages in ลำสินธุ์ (default 10)")
        parser.add_argument("--seed", type=int, default=2568, help="random seed (default 2568)")
        parser.add_argument("--logins-json", metavar="PATH",
                            help="also write the logins as JSON: [{username, password, role, area_code}]")

    def handle(self, *args: Any, people: int, villages: int, seed: int, logins_json: str | None,
               **options: Any) -> None:
        if people < 0:
            raise CommandError("--people must be 0 or more")
        if not 1 <= villages <= 99:
            raise CommandError("--villages must be between 1 and 99")
        if not Area.objects.filter(code=DEMO_TAMBON).exists():
            raise CommandError("The area tree is missing: run `chumchon migrate` first.")
        real = Person.objects.exclude(within_q(DEMO_TAMBON)).exclude(within_q(OTHER_TAMBON))
        if real.exists():
            # The demo creates logins with published passwords, one of them a province administrator.
            raise CommandError("This database holds people outside the demo tambons: refusing to add demo "
                               "logins with published passwords. Use an empty database for the demo.")
        started = time.monotonic()
        missing = [login for login in LOGINS if not User.objects.filter(username=login.username).exists()]
        # Password hashing is slow on purpose; it runs beside the data load (hashlib frees the GIL).
        with ThreadPoolExecutor(max_workers=2) as pool:
            hashes = {login.username: pool.submit(make_password, login.password) for login in missing}
            self._load(DEMO_TAMBON, villages=villages, people=people, seed=seed)
            self._load(OTHER_TAMBON, villages=OTHER_VILLAGES, people=OTHER_PEOPLE, seed=seed + 1)
            logins_started = time.monotonic()
            rows = self._logins(hashes)
            waited = f" (waited {time.monotonic() - logins_started:.1f} s for {len(hashes)} password hashes)"
        # After the logins, so that the alerts the assessments raise reach the demo's volunteers.
        for code in (DEMO_TAMBON, OTHER_TAMBON):
            self._assess(code, seed=seed)
        self._network(DEMO_TAMBON)
        self._care(DEMO_TAMBON)
        self._linkage(DEMO_TAMBON, seed=seed)
        self.stdout.write(f"{len(rows)} logins ready" + (waited if hashes else ""))
        self._print_logins(rows)
        self._print_where_to_look()
        if logins_json:
            path = Path(logins_json)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(
                [{"username": login.username, "password": login.password, "role": login.role,
                  "area_code": login.area_code} for login, _area in rows],
                ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            self.stdout.write(f"Logins written to {path}")
        self.stdout.write(self.style.SUCCESS(f"Demo ready in {time.monotonic() - started:.1f} s"))

    def _network(self, tambon_code: str) -> None:
        from chumchon.network.demo import load_demo_network
        from chumchon.network.demo_committees import load_demo_committees

        network = load_demo_network(tambon_code=tambon_code)
        committees = load_demo_committees(tambon_code=tambon_code)
        if any(network.values()):
            self.stdout.write(f"{tambon_code}: {network['organisations']} organisations, {network['services']} "
                              f"services, {network['relations']} relations")
        if committees and "skipped" not in committees:
            self.stdout.write(f"{tambon_code}: committees and the child development centre: "
                              + ", ".join(f"{key} {value}" for key, value in committees.items()))

    def _care(self, tambon_code: str) -> None:
        from chumchon.care.demo import load_demo_care

        if not AuditEntry.objects.filter(verb=VERB, area_code=tambon_code).exists():
            return
        started = time.monotonic()
        counts = load_demo_care(tambon_code=tambon_code)
        if counts.get("staff"):
            self.stdout.write(f"{tambon_code}: agency_staff is now staff of รพ.สต.ลำสินธุ์ (its referral queue)")
        if "plans" in counts:
            self.stdout.write(f"{tambon_code}: {counts['plans']} care plans ({counts['approved']} approved), "
                              f"{counts['referrals']} referrals, {counts['programmes']} tambon plan programmes "
                              f"({time.monotonic() - started:.1f} s)")

    def _linkage(self, tambon_code: str, *, seed: int) -> None:
        from chumchon.linkage.demo import load_demo_linkage

        if not AuditEntry.objects.filter(verb=VERB, area_code=tambon_code).exists():
            return
        started = time.monotonic()
        counts = load_demo_linkage(tambon_code=tambon_code, seed=seed)
        if counts:
            self.stdout.write(f"{tambon_code}: imported " + ", ".join(
                f"{name} ({rows} rows)" for name, rows in counts.pop("lists", {}).items()))
            self.stdout.write(f"{tambon_code}: linkage: {counts['linked']} records linked, {counts['persons_created']}"
                              f" new persons, {counts['merged']} merged, {counts['candidates']} pairs to review "
                              f"({time.monotonic() - started:.1f} s)")

    def _print_where_to_look(self) -> None:
        self.stdout.write("")
        self.stdout.write("Where to look:")
        for path, what in WHERE_TO_LOOK:
            self.stdout.write(f"  {_pad(path, 24)}  {what}")

    def _assess(self, tambon_code: str, *, seed: int) -> None:
        from chumchon.visits.models import Assessment
        from chumchon.visits.synthetic import generate_assessments

        demo_loaded = AuditEntry.objects.filter(verb=VERB, area_code=tambon_code).exists()
        if not demo_loaded or Assessment.objects.filter(within_q(tambon_code)).exists():
            return
        started = time.monotonic()
        counts = generate_assessments(tambon_code=tambon_code, seed=seed, today=timezone.localdate())
        self.stdout.write(f"{tambon_code}: {counts['assessments']:,} assessments, {counts['alerts']} alerts "
                          f"({time.monotonic() - started:.1f} s)")

    def _load(self, tambon_code: str, *, villages: int, people: int, seed: int) -> None:
        tambon = Area.objects.get(code=tambon_code)
        name = tambon.label
        if AuditEntry.objects.filter(verb=VERB, area_code=tambon_code).exists():
            count = Person.objects.filter(area__code__startswith=tambon_code).count()
            self.stdout.write(f"{name} ({tambon_code}): demo data already loaded ({count:,} people); skipped")
            return
        if Person.objects.filter(area__code__startswith=tambon_code).exists():
            self.stdout.write(f"{name} ({tambon_code}): has people of its own; no demo people added")
            return
        interactive = self.stdout.isatty()

        def progress(done: int, total: int) -> None:
            if interactive or done == total:
                line = f"\r{name} ({tambon_code}): {done:,} / {total:,} people"
                self.stdout.write(line, ending="")
                self.stdout.flush()

        started = time.monotonic()
        counts = generate_tambon(tambon_code=tambon_code, villages=villages, people=people, seed=seed,
                                 progress=progress, verb=VERB)
        if not counts["people"]:
            self.stdout.write(f"{name} ({tambon_code}): 0 people", ending="")
        self.stdout.write(f" in {counts['households']:,} households, {counts['villages']} villages "
                          f"({time.monotonic() - started:.1f} s)")

    @transaction.atomic
    def _logins(self, hashes: dict[str, Future[str]]) -> list[tuple[DemoLogin, Area]]:
        rows = []
        for login in LOGINS:
            area = Area.objects.filter(code=login.area_code).first()
            if area is None:
                self.stderr.write(f"No area {login.area_code}: login {login.username} not created")
                continue
            user = User.objects.filter(username=login.username).first()
            if user is None:
                user = User(username=login.username, display_name=login.display_name,
                            password=hashes[login.username].result())
                user.save(force_insert=True)
                log_action(actor=None, verb="user.create", obj=user, area_code=login.area_code,
                           data={"username": user.username, "display_name": user.display_name})
            membership_grant(actor=None, user=user, area_code=login.area_code, role=login.role,
                             organisation=login.organisation)
            rows.append((login, area))
        return rows

    def _print_logins(self, rows: list[tuple[DemoLogin, Area]]) -> None:
        port = os.environ.get("PORT", "8000")
        table = [("username", "password", "role", "area")]
        table += [(login.username, login.password, login.role, f"{area.code} {area.label}") for login, area in rows]
        widths = [max(_width(row[column]) for row in table) for column in range(3)]
        self.stdout.write("")
        self.stdout.write(f"Sign in at http://127.0.0.1:{port}/login/ with one of these demo logins:")
        for index, row in enumerate(table):
            cells = [_pad(cell, widths[column]) for column, cell in enumerate(row[:3])]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in widths) + "  " + "-" * 24)
        self.stdout.write("(Passwords are those of the first run; a login changed since keeps its own.)")
