"""The four report families: random but realistic documents, laid out as the seed reports are.

Each builder draws values from a seeded `random.Random`, returns the blocks to render, the running
header and page-number style, and the records a perfect pipeline would extract, in the output contract.
Only what is printed on the page goes into the truth.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml

from factory.layout import Block, Cell, Checkbox, PageBreak, Para, Table
from factory.values import BE_OFFSET, MONTHS, Printer, fiscal_year_range, iso_time
from models.records import FieldValue, ProgressRecord, ProjectRecord


@cache
def _data(name: str) -> dict[str, Any]:
    text = resources.files("config").joinpath("samples", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def vocab() -> dict[str, Any]:
    return _data("vocab.yaml")


def places() -> dict[str, Any]:
    return _data("places.yaml")


@dataclass
class DocPlan:
    family: str
    digits: str
    header: str
    footer: Callable[[int, int], str]
    blocks: list[Block] = field(default_factory=list)
    projects: list[ProjectRecord] = field(default_factory=list)
    progress: list[ProgressRecord] = field(default_factory=list)


def truth_field(value: Any, text: str) -> FieldValue:
    return FieldValue(value=value, text=text, confidence=1.0, needs_review=False)


def _person(rng: random.Random) -> tuple[str, str]:
    """A full name with title, and the first name alone (as tables abbreviate it)."""
    v = vocab()
    first = rng.choice(v["first_names"])
    return f"{rng.choice(v['titles'])}{first} {rng.choice(v['last_names'])}", first


def _month_end(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _amount(rng: random.Random, low: int, high: int, step: int = 100) -> int:
    return rng.randrange(low // step, high // step + 1) * step


def _progress_path(rng: random.Random, n: int, completed: bool) -> list[float]:
    """Non-decreasing percents, ending at 100 when the project completed."""
    values = sorted(rng.choice([1, 5, 10, 10, 20, 25, 30, 40, 50, 60, 75, 80, 90]) for _ in range(n))
    if completed:
        values[-1] = 100
    return [float(v) for v in values]


# ---------------------------------------------------------------- bma_project_form (seeds 000, 001)

BMA_FORM_TITLE = "**** แบบแสดงรายงานความก้าวหน้าและข้อมูลเกี่ยวกับโครงการ ****"


def bma_project_form(rng: random.Random, source: str) -> DocPlan:
    v, p = vocab(), Printer(thai_digits=False)
    did, district = rng.choice(places()["bangkok_districts"])
    agency = f"สำนักงานเขต{district}"
    division = rng.choice(v["bma_divisions"])
    fy = rng.randint(2562, 2568)
    start, end = fiscal_year_range(fy)
    name = rng.choice(v["bma_projects"]) + (f" ({agency})" if rng.random() < 0.4 else "")
    code = f"50{did - 1000:02d}{rng.randint(0, 9)}{rng.randint(0, 9)}00-{rng.randint(1000, 9999)}"
    allocated = _amount(rng, 5_000, 500_000)
    n_rows = rng.randint(2, 12)
    completed = rng.random() < 0.6
    spent = allocated - _amount(rng, 0, allocated // 20, 5) if completed else 0
    if rng.random() < 0.3:
        responsible_text, responsible = division, division  # seed 000 names the division, not a person
    else:
        responsible, _ = _person(rng)
        responsible_text = f"{responsible} โทร.{rng.randint(1000, 9999)}"
    coordinator, _ = _person(rng)

    fields = {
        "project_name": truth_field(name, name),
        "project_code": truth_field(code, code),
        "fiscal_year": truth_field(fy, str(fy)),
        "start_date": truth_field(start.isoformat(), iso_time(start)),
        "end_date": truth_field(end.isoformat(), iso_time(end)),
        "budget_allocated": truth_field(float(allocated), f"{p.money(allocated)} บาท"),
        "budget_spent": truth_field(float(spent), f"{p.money(spent)} บาท"),
        "agency": truth_field(agency, agency),
        "division": truth_field(division, division),
        "responsible_person": truth_field(responsible, responsible_text),
        "coordinator": truth_field(coordinator, coordinator),
    }
    f = fields
    blocks: list[Block] = [
        Para("1. ชื่อโครงการและหน่วยงานที่รับผิดชอบโครงการ", bold=True),
        Para("1.1 รหัสโครงการและชื่อโครงการ", bold=True),
        Para(f"ชื่อโครงการ/กิจกรรม : {name}", anchors=[f["project_name"]]),
        Para(f"รหัสโครงการ... : {code}", anchors=[f["project_code"]]),
        Para(f"ปีงบประมาณ พ.ศ. : {fy}", anchors=[f["fiscal_year"]]),
        Para(f"เริ่มต้นโครงการ : {iso_time(start)}", anchors=[f["start_date"]]),
        Para(f"งบประมาณที่ได้รับ : {p.money(allocated)} บาท", anchors=[f["budget_allocated"]]),
        Para(f"สิ้นสุดโครงการ : {iso_time(end)}", anchors=[f["end_date"]]),
        Para(f"งบประมาณที่ใช้ไป : {p.money(spent)} บาท", anchors=[f["budget_spent"]]),
        Para("1.2 หน่วยงานที่รับผิดชอบ", bold=True),
        Para(f"หน่วยงานที่รับผิดชอบ. : {agency} / {division} / {division}", anchors=[f["agency"], f["division"]]),
        Para(f"ชื่อผู้รับผิดชอบ... : {responsible_text}", anchors=[f["responsible_person"]]),
        Para(f"ผู้ประสานงาน สยป : {coordinator} โทร. {rng.randint(1000, 9999)}", anchors=[f["coordinator"]]),
        Para("1.3 หลักการและเหตุผล", bold=True),
        *[Para(t) for t in rng.sample(v["bma_rationale"], 2)],
        Para("1.4 วัตถุประสงค์ของโครงการ", bold=True),
        *[Para(f"{i}. {t}") for i, t in enumerate(rng.sample(v["bma_objectives"], 3), start=1)],
        Para("1.5 เป้าหมายของโครงการ..", bold=True),
        Para("ด้านปริมาณ"),
        Para(rng.choice(v["bma_targets"])),
        Para("1.6 สนับสนุนแผนพัฒนา กทม. ระยะ 20 ปี (ยุทธศาสตร์-ประเด็นยุทธศาสตร์-กลยุทธ์ตามแผนฯ /ตัวชี้วัด)", bold=True),
        Para(f"ประเด็นยุทธศาสตร์ : {rng.choice(v['bma_strategy'])}"),
        Para(f"ตัวชี้วัด... : {v['bma_indicator']}"),
    ]

    percents = _progress_path(rng, n_rows, completed)
    month0 = date(start.year, 11, 1)
    plan = DocPlan("bma_project_form", "arabic", BMA_FORM_TITLE, lambda n, t: f"หน้า {n}/{t}", blocks)
    progress_rows: list[list[str]] = []
    for seq, percent in enumerate(percents, start=1):
        m = month0.month - 1 + seq - 1
        report = _month_end(month0.year + m // 12, m % 12 + 1) - timedelta(days=rng.choice([0, 0, 1, 2]))
        last = seq == n_rows
        stage = "done" if last and completed else ("early" if percent <= 10 else "middle")
        note = rng.choice(v["progress_notes"][stage])
        disbursed = float(spent) if last and completed else 0.0
        on_plan, on_target = rng.random() < 0.85, rng.random() < 0.9
        plan_text = "เป็นไปตามแผน" if on_plan else "ไม่เป็นไปตามแผน"
        target_text = "เป็นไปตามเป้าหมาย" if on_target else "ไม่เป็นไปตามเป้าหมาย"
        # As the BMA site prints it (seeds 000, 001): a table without lines, each report one row of two
        # lines (or more where a cell wraps), the plan and target verdicts in columns of their own on the
        # row's last line.
        progress_rows.append(
            [
                f"รายงานครั้งที่{seq}",
                f":: {p.dmy_be(report)} : {note}\n:: ความก้าวหน้าของงานฯ = {p.percent(percent)} % : "
                f"งบประมาณที่เบิกใช้ (ครั้งที่ {seq}) = {p.money(disbursed)} บาท",
                f": {plan_text}",
                f": {target_text}",
            ]
        )
        plan.progress.append(
            ProgressRecord(
                source=source,
                project_code=code,
                project_name=name,
                seq=seq,
                report_date=report.isoformat(),
                progress_percent=percent,
                disbursed=disbursed,
                note=note,
                on_plan=on_plan,
                on_target=on_target,
                confidence=1.0,
                needs_review=False,
            )
        )
    blocks.append(
        Table(
            header=[],
            rows=progress_rows,
            widths=[0.18, 0.39, 0.19, 0.24],
            title="2. รายงานความก้าวหน้าของโครงการและการใช้จ่ายงบประมาณ",
            scale=0.75,
            ruled=False,
            bottom=frozenset({2, 3}),
        )
    )
    fields["progress_percent"] = truth_field(percents[-1], f"{p.percent(percents[-1])} %")
    plan.projects.append(ProjectRecord(source=source, doc_type="bma_project_form", fields=fields))
    return plan


# ---------------------------------------------------------------- bma_project_page (seed 002)


def bma_project_page(rng: random.Random, source: str) -> DocPlan:
    v, p = vocab(), Printer(thai_digits=False)
    did, district = rng.choice(places()["bangkok_districts"])
    agency = f"สำนักงานเขต{district}"
    fy = rng.randint(2562, 2568)
    start, _ = fiscal_year_range(fy)
    name = rng.choice(v["bma_projects"])
    code = f"50{did - 1000:02d}0700-{rng.randint(1000, 9999)}"
    responsible, _ = _person(rng)
    n = rng.randint(2, 12)
    cancelled = rng.random() < 0.25
    completed = not cancelled and rng.random() < 0.4
    percents = _progress_path(rng, n, completed)
    if cancelled:  # seed 002: progress froze when the project was cancelled
        percents = [min(x, percents[0]) for x in percents]
    status = "cancelled" if cancelled else ("completed" if completed else "in_progress")
    latest = percents[-1]
    fields = {
        "project_name": truth_field(name, name),
        "project_code": truth_field(code, code),
        "fiscal_year": truth_field(fy, str(fy)),
        "agency": truth_field(agency, agency),
        "responsible_person": truth_field(responsible, responsible),
        "progress_percent": truth_field(latest, f"ร้อยละ {latest:g}"),
        "status": truth_field(status, status),
    }
    f = fields
    blocks: list[Block] = [
        Para(f"ชื่อโครงการ : {name}", bold=True, anchors=[f["project_name"]]),
        Para(f"รหัสโครงการ : {code}", anchors=[f["project_code"]]),
        Para(f"ปีงบประมาณ : {fy}", anchors=[f["fiscal_year"]]),
        Para(f"หน่วยงาน : {agency}", anchors=[f["agency"]]),
        Para(f"ความคืบหน้าโครงการ ร้อยละ {latest:g}", anchors=[f["progress_percent"]]),
        Para(
            f"ผู้รับผิดชอบโครงการ : {responsible} โทร. {rng.randint(1000, 9999)}",
            anchors=[f["responsible_person"]],
        ),
        Para("ดูโครงการแผนปีฯ : พิมพ์ข้อมูล"),
        Para(f"*** สยป. ประเมินโครงการ : ไตรมาสที่ {rng.randint(1, 4)}"),
        Para(rng.choice(v["bma_rationale"])),
        Para(" ".join(f"{i}. {t}" for i, t in enumerate(rng.sample(v["bma_objectives"], 2), start=1))),
        Para("ด้านที่ ๑ – มหานครปลอดภัย : Bangkok as a Safe City |"),
    ]
    plan = DocPlan(
        "bma_project_page",
        "arabic",
        "ระบบติดตามและประเมินผลโครงการ กรุงเทพมหานคร",
        lambda n_, t: f"{n_}/{t}",
        blocks,
    )
    swapped = rng.randrange(n) if rng.random() < 0.3 else -1  # seed 002 has one date in month/day order
    entries = []
    for i, percent in enumerate(percents):  # oldest first; printed newest first
        m = start.month - 1 + i + 1
        d = _month_end(start.year + m // 12, m % 12 + 1) - timedelta(days=rng.choice([0, 1, 2]))
        last = i == n - 1
        if cancelled and last:
            note = rng.choice(v["progress_notes"]["cancelled"])
        else:
            note = rng.choice(
                v["progress_notes"]["done" if completed and last else ("early" if i < 2 else "middle")]
            )
        entries.append((d, percent, note, rng.choice(v["problems"]), rng.choice(v["problems"])))
    for seq, (d, percent, note, problem, obstacle) in enumerate(reversed(entries), start=1):
        date_text = f"{d.month}/{d.day}/{d.year}" if seq - 1 == swapped else p.dmy_be(d)
        blocks += [
            Para(f"({seq}) ความคืบหน้าโครงการฯ ร้อยละ {p.percent(percent)} ({d.isoformat()})", space_after=0),
            Para(f"{date_text} : {note}", space_after=0),
            Para(f"** ปัญหาของโครงการ :{problem}", space_after=0),
            Para(f"** อุปสรรคของโครงการ :{obstacle}", space_after=0),
            Para("------------------&&&--------------------"),
        ]
        plan.progress.append(
            ProgressRecord(
                source=source,
                project_code=code,
                project_name=name,
                seq=seq,
                report_date=d.isoformat(),
                progress_percent=percent,
                note=note,
                problems=problem,
                obstacles=obstacle,
                confidence=1.0,
                needs_review=False,
            )
        )
    blocks += [
        Para("ตัวชี้วัด : 1 ตัวชี้วัดงานประจำ"),
        Para(f"ค่าเป้าหมาย 100 : {rng.choice([80, 90, 100])}"),
    ]
    plan.projects.append(ProjectRecord(source=source, doc_type="bma_project_page", fields=fields))
    return plan


# ---------------------------------------------------------------- obec_progress_summary (seed 003)

STATUS_GROUP_TEXT = {
    "completed": "โครงการที่ดำเนินการเสร็จสิ้นแล้ว",
    "in_progress": "โครงการที่อยู่ระหว่างดำเนินการ",
    "not_started": "โครงการที่ยังไม่ได้ดำเนินการ",
}
STATUS_TABLE_TEXT = {"completed": "เสร็จสิ้น", "in_progress": "ระหว่างดำเนินการ", "not_started": "ยังไม่ดำเนินการ",
                     "not_reported": "ยังไม่รายงานผล"}  # fmt: skip


def _spsp_office(rng: random.Random, p: Printer) -> tuple[str, str]:
    province = rng.choice(places()["provinces"])
    zone = rng.choice([None, 1, 2, 3])
    suffix = f" เขต {p(str(zone))}" if zone else ""
    return f"สำนักงานเขตพื้นที่การศึกษาประถมศึกษา{province}{suffix}", f"สพป.{province}{suffix}"


def obec_progress_summary(rng: random.Random, source: str) -> DocPlan:
    v, p = vocab(), Printer(thai_digits=True)
    office, short = _spsp_office(rng, p)
    fy = rng.randint(2564, 2568)
    fy_text = p.year(fy)
    names = rng.sample(v["obec_projects"], rng.randint(5, 11))
    statuses = ["completed", "in_progress"] + [rng.choice(["completed", "in_progress", "not_started"])
                                               for _ in names[2:]]  # fmt: skip
    projects = []
    for name, status in zip(names, statuses, strict=True):
        planned = _amount(rng, 5_000, 900_000)
        spent = {"completed": planned - _amount(rng, 0, planned // 10),
                 "in_progress": _amount(rng, 0, planned), "not_started": 0}[status]  # fmt: skip
        projects.append((name, status, planned, spent))
    total = len(projects)
    counts = {s: sum(1 for x in projects if x[1] == s) for s in STATUS_GROUP_TEXT}

    blocks: list[Block] = [
        Para("รายงานสรุปความก้าวหน้าของการดำเนินโครงการ", scale=1.3, bold=True, align="center"),
        Para(f"ตามแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {fy_text}", scale=1.2, bold=True, align="center"),
        Para(f"รอบ {p('6')} เดือน", scale=1.2, bold=True, align="center"),
        Para(office, bold=True, align="center", space_after=1.0),
        Para(
            f"{p('1')}. โครงการตามแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {fy_text} จำนวน {p(str(total))} โครงการ "
            "มีความก้าวหน้าการดำเนินการ ดังนี้"
        ),
    ]
    for i, (status, label) in enumerate(STATUS_GROUP_TEXT.items(), start=1):
        if counts[status]:
            share = 100 * counts[status] / total
            blocks.append(
                Para(
                    f"{p(f'1.{i}')} {label} จำนวน {p(str(counts[status]))} โครงการ "
                    f"คิดเป็นร้อยละ {p.percent(share)}",
                    indent=60,
                )
            )
    rows = [
        [p(str(i)), name, STATUS_TABLE_TEXT[status], p.money(planned), p.table_money(spent)]
        for i, (name, status, planned, spent) in enumerate(projects, start=1)
    ]
    rows.append(
        ["", "รวม", "", p.money(sum(x[2] for x in projects)), p.table_money(sum(x[3] for x in projects))]
    )
    blocks.append(
        Table(
            title=f"ตารางสรุปงบประมาณโครงการ ประจำปีงบประมาณ พ.ศ. {fy_text}",
            header=[
                [
                    Cell("ที่"),
                    Cell("ชื่อโครงการ"),
                    Cell("สถานะ"),
                    Cell("งบประมาณตามแผน (บาท)"),
                    Cell("เบิกจ่ายจริง (บาท)"),
                ]
            ],
            rows=rows,
            widths=[0.07, 0.43, 0.16, 0.17, 0.17],
            numeric=frozenset({3, 4}),
        )
    )
    plan = DocPlan(
        "obec_progress_summary",
        "thai",
        f"รายงานสรุปความก้าวหน้าการดำเนินโครงการ {short} รอบ {p('6')} เดือน",
        lambda n, t: f"- {p(str(n))} -",
        blocks,
    )
    for gi, (status, label) in enumerate(STATUS_GROUP_TEXT.items(), start=1):
        group = [x for x in projects if x[1] == status]
        if not group:
            continue
        blocks.append(Para(f"{p(f'1.{gi}')} {label} จำนวน {p(str(len(group)))} โครงการ ดังนี้", bold=True))
        for k, (name, _status, planned, spent) in enumerate(group, start=1):
            f = {
                "project_name": truth_field(name, name),
                "status": truth_field(status, label),
                "budget_allocated": truth_field(float(planned), f"{p.money(planned)} บาท"),
                "budget_spent": truth_field(float(spent), f"{p.money(spent)} บาท" if spent else "-"),
                "fiscal_year": truth_field(fy, fy_text),
                "agency": truth_field(office, office),
            }
            blocks.append(Para(f"{p(f'1.{gi}.{k}')} โครงการ{name}", anchors=[f["project_name"], f["status"]]))
            if status != "not_started":
                blocks += [
                    Para(rng.choice(v["obec_activities"]), indent=60),
                    Para(f"การเบิกจ่ายงบประมาณประจำปีไตรมาสที่ {p('2')} ปีงบประมาณ {fy_text}", indent=60),
                    Para(
                        f"จำนวนเงินงบประมาณตามแผนการใช้จ่าย {p.money(planned)} บาท",
                        indent=60,
                        anchors=[f["budget_allocated"]],
                    ),
                    Para(
                        f"จำนวนเงินงบประมาณที่เบิกจ่ายจริง {p.money(spent)} บาท",
                        indent=60,
                        anchors=[f["budget_spent"]],
                    ),
                    Para(f"ผลการเบิกจ่ายงบประมาณ {rng.choice(v['obec_disbursement_notes'])}", indent=60),
                ]
            plan.projects.append(ProjectRecord(source=source, doc_type="obec_progress_summary", fields=f))
    return plan


# ---------------------------------------------------------------- obec_followup_report (seed 004)

SOURCE_CODES = {1: "สพป.", 2: "สพฐ.", 3: "หน่วยอื่น"}
FORM_PROGRESS = "แบบรายงาน “ความก้าวหน้า” การดำเนินงานโครงการ/กิจกรรม"
FORM_COMPLETION = "แบบรายงานผลการดำเนินโครงการ (เมื่อสิ้นสุดกิจกรรม)"


def obec_followup_report(rng: random.Random, source: str) -> DocPlan:
    v = vocab()
    p = Printer(thai_digits=False)
    province = rng.choice(places()["provinces"])
    office, short = f"สำนักงานเขตพื้นที่การศึกษาประถมศึกษา{province}", f"สพป.{province}"
    fy = rng.randint(2565, 2568)
    _, fy_end = fiscal_year_range(fy)
    as_of = date(fy_end.year, 3, 31)
    report_day = date(fy_end.year, 4, rng.randint(5, 12))
    groups = rng.sample(v["obec_groups"], rng.randint(2, 4))
    projects: list[dict[str, Any]] = []
    for group, abbr in groups:
        for name in rng.sample(v["obec_projects"], rng.randint(1, 3)):
            full, first = _person(rng)
            status = rng.choice(["in_progress", "in_progress", "completed", "not_started", "not_reported"])
            allocated = _amount(rng, 3_000, 350_000)
            spent = {"completed": allocated - _amount(rng, 0, allocated // 10), "not_started": 0,
                     "in_progress": _amount(rng, 0, allocated), "not_reported": 0}[status]  # fmt: skip
            projects.append(
                dict(
                    name=name,
                    group=group,
                    abbr=abbr,
                    person=full,
                    first=first,
                    status=status,
                    source_code=rng.choice([1, 1, 2, 3]),
                    allocated=allocated,
                    spent=spent,
                )
            )
    fy_text = p.year(fy)
    blocks: list[Block] = [
        Para("รายงานการติดตามผล ความก้าวหน้าการดำเนินโครงการ", scale=1.3, bold=True, align="center"),
        Para(f"ประจำปีงบประมาณ พ.ศ. {fy_text}", scale=1.2, bold=True, align="center"),
        Para(f"รอบระยะเวลา 6 เดือน (ไตรมาสที่ 2) (1 ตุลาคม {fy - 1} - {p.long_be(as_of)})", align="center"),
        Para(office, bold=True, align="center", space_after=0.8),
    ]
    # ตารางที่ 1: progress counts per group
    count_rows = []
    totals = [0] * 5
    keys = ["not_started", "in_progress", "completed", "not_reported"]
    for i, (group, abbr) in enumerate(groups, start=1):
        mine = [x for x in projects if x["group"] == group]
        cells = [p.count(len(mine), dash_for_zero=False)]
        totals[0] += len(mine)
        for k, key in enumerate(keys, start=1):
            c = sum(1 for x in mine if x["status"] == key)
            totals[k] += c
            cells += [p.count(c), p.percent(100 * c / len(mine)) if c else "-"]
        count_rows.append([str(i), abbr, *cells])
    total_cells = [str(totals[0])]
    for k in range(1, 5):
        total_cells += [p.count(totals[k]), p.percent(100 * totals[k] / totals[0]) if totals[k] else "-"]
    count_rows.append(["", "รวม", *total_cells])
    blocks.append(
        Table(
            title="ตารางที่ 1 ความก้าวหน้าการดำเนินโครงการ/กิจกรรม",
            header=[
                [
                    Cell("ที่", rowspan=2),
                    Cell("กลุ่ม/หน่วย", rowspan=2),
                    Cell("โครงการ ทั้งสิ้น", rowspan=2),
                    Cell("ยังไม่ ดำเนินการ", colspan=2),
                    Cell("ระหว่าง ดำเนินการ", colspan=2),
                    Cell("เสร็จสิ้น แล้ว", colspan=2),
                    Cell("ไม่รายงาน", colspan=2),
                ],
                [Cell("จำนวน"), Cell("ร้อยละ")] * 4,
            ],
            rows=count_rows,
            widths=[0.05, 0.19, 0.1] + [0.0825] * 8,
            numeric=frozenset(range(2, 11)),
        )
    )
    # ตารางที่ 3: budget per group
    budget_rows = []
    sums = [0, 0, 0, 0, 0]
    for i, (group, abbr) in enumerate(groups, start=1):
        mine = [x for x in projects if x["group"] == group]
        alloc = sum(x["allocated"] for x in mine)
        spent = sum(x["spent"] for x in mine)
        n_spent = sum(1 for x in mine if x["spent"])
        remain = alloc - spent
        for k, val in enumerate([len(mine), alloc, n_spent, spent, remain]):
            sums[k] += val
        budget_rows.append(
            [
                str(i),
                abbr,
                p.count(len(mine)),
                p.table_money(alloc),
                p.count(n_spent),
                p.table_money(spent),
                p.table_money(remain),
                p.percent(100 * remain / alloc),
            ]
        )
    budget_rows.append(
        [
            "",
            "รวม",
            p.count(sums[0]),
            p.table_money(sums[1]),
            p.count(sums[2]),
            p.table_money(sums[3]),
            p.table_money(sums[4]),
            p.percent(100 * sums[4] / sums[1]),
        ]
    )
    blocks.append(
        Table(
            title=f"ตารางที่ 3 ผลและการใช้จ่ายงบประมาณโครงการ ไตรมาสที่ 2 ({p.long_be(as_of)[3:]})",
            header=[
                [
                    Cell("ที่", rowspan=2),
                    Cell("กลุ่ม/หน่วย", rowspan=2),
                    Cell("จัดสรร", colspan=2),
                    Cell("เบิกจ่าย", colspan=2),
                    Cell(f"คงเหลือ ({p.month_be(as_of)})", colspan=2),
                ],
                [Cell("โครงการ"), Cell("งปม."), Cell("โครงการ"), Cell("งปม."), Cell("บาท"), Cell("ร้อยละ")],
            ],
            rows=budget_rows,
            widths=[0.05, 0.23, 0.1, 0.14, 0.1, 0.14, 0.14, 0.1],
            numeric=frozenset(range(2, 8)),
        )
    )
    # The project list (บัญชีสรุป), with a row per group as in the seed.
    list_rows: list[list[str]] = []
    for group, _abbr in groups:
        mine = [x for x in projects if x["group"] == group]
        list_rows.append(
            [
                "",
                group,
                "",
                "",
                p.table_money(sum(x["allocated"] for x in mine)),
                p.table_money(sum(x["spent"] for x in mine)),
                "",
            ]
        )
        for x in mine:
            x["seq"] = sum(1 for r in list_rows if r[0]) + 1
            list_rows.append(
                [
                    str(x["seq"]),
                    x["name"],
                    f"{x['abbr']}/ {x['first']}",
                    str(x["source_code"]),
                    p.table_money(x["allocated"]),
                    p.table_money(x["spent"]),
                    STATUS_TABLE_TEXT[x["status"]],
                ]
            )
    blocks += [
        PageBreak(),
        Table(
            title=f"บัญชีสรุปรายงานความก้าวหน้าโครงการกิจกรรมที่ได้รับจัดสรรงบประมาณ ปีงบประมาณ พ.ศ. {fy_text}",
            header=[
                [
                    Cell("ที่"),
                    Cell("ชื่อโครงการ"),
                    Cell("กลุ่ม/ ผู้รับผิดชอบ"),
                    Cell("แหล่ง งปม."),
                    Cell("จัดสรร งปม."),
                    Cell("เบิกจ่าย"),
                    Cell("การดำเนินการ"),
                ]
            ],
            rows=list_rows,
            widths=[0.05, 0.37, 0.16, 0.07, 0.12, 0.11, 0.12],
            numeric=frozenset({4, 5}),
        ),
        Para(f"*ข้อมูล ณ วันที่ {p.long_be(report_day)}"),
        Para("แหล่งงบประมาณ 1 = สพท. 2 = สพฐ. 3 = หน่วยอื่น"),
    ]
    plan = DocPlan(
        "obec_followup_report",
        "arabic",
        f"รายงานการติดตามผลความก้าวหน้าการดำเนินโครงการ ปีงบประมาณ พ.ศ. {fy_text} {short}",
        lambda n, t: f"- {n} -",
        blocks,
    )
    for x in projects:
        status = x["status"]
        remaining = x["allocated"] - x["spent"]
        f = {
            "project_name": truth_field(x["name"], x["name"]),
            "agency": truth_field(x["group"], x["group"]),
            "fiscal_year": truth_field(fy, fy_text),
            "budget_allocated": truth_field(float(x["allocated"]), p.money(x["allocated"])),
            "budget_spent": truth_field(float(x["spent"]), p.table_money(x["spent"])),
            "status": truth_field(status, STATUS_TABLE_TEXT[status]),
        }
        if status == "not_reported":  # no form: only the list row speaks for it
            f["responsible_person"] = truth_field(x["first"], x["first"])
            plan.projects.append(ProjectRecord(source=source, doc_type="obec_followup_report", fields=f))
            continue
        f["responsible_person"] = truth_field(x["person"], x["person"])
        f["budget_remaining"] = truth_field(float(remaining), p.money(remaining))
        f["as_of_date"] = truth_field(as_of.isoformat(), p.long_be(as_of))
        completion = status == "completed"
        glue = rng.random() < 0.5  # the completion forms glue values to the label and to dotted leaders
        amount = (
            (lambda a: f"จำนวน{p.money(a)} ... บาท") if glue else (lambda a: f"จำนวน {p.money(a)}..... บาท")
        )
        blocks += [
            PageBreak(),
            Para(FORM_COMPLETION if completion else FORM_PROGRESS, bold=True, align="center"),
            Para(
                f"ประจำปีงบประมาณ พ.ศ. {fy_text}"
                + (
                    ""
                    if completion
                    else f" (ข้อมูล ณ สิ้นสุดเดือน{MONTHS[as_of.month - 1]} พ.ศ. {as_of.year + BE_OFFSET})"
                ),
                bold=True,
                align="center",
            ),
            Para(office, bold=True, align="center", space_after=0.6),
            Para(f"ชื่อโครงการ {x['name']}", anchors=[f["project_name"]]),
            Para(
                f"ผู้รับผิดชอบ {x['person']} กลุ่ม/หน่วย {x['group']}",
                anchors=[f["responsible_person"], f["agency"]],
            ),
            Para("1. ความสอดคล้องกับยุทธศาสตร์ชาติ มาตรฐาน/กลยุทธ์ และจุดเน้น นโยบาย สพฐ."),
            Para(f"{'5' if completion else '2'}. งบประมาณ", bold=True),
            Para("ได้รับจัดสรร"),
            Para(
                f"- งบ {SOURCE_CODES[x['source_code']]} {amount(x['allocated'])}",
                indent=60,
                anchors=[f["budget_allocated"]],
            ),
            Para(
                f"- ใช้ไป (รวมผูกพันแล้วยังไม่ส่งเบิก) {amount(x['spent'])}", indent=60, anchors=[f["budget_spent"]]
            ),
            Para(
                f"คงเหลือ (ณ วันที่ ...{p.long_be(as_of)}.....) จำนวน ...{p.money(remaining)}.....บาท",
                indent=60,
                anchors=[f["budget_remaining"], f["as_of_date"]],
            ),
        ]
        if completion:
            blocks += [
                Checkbox("บรรลุเป้าหมายของโครงการทุกประการ", True, anchors=[f["status"]]),
                Checkbox("ไม่บรรลุเป้าหมายของโครงการ เนื่องจาก.....", False),
            ]
        else:
            blocks += [
                Checkbox(
                    "อยู่ระหว่างดำเนินการ",
                    status == "in_progress",
                    anchors=[f["status"]] if status == "in_progress" else [],
                ),
                Checkbox(
                    "ยังไม่ดำเนินการ (ระบุเหตุผลในปัญหาอุปสรรค)",
                    status == "not_started",
                    anchors=[f["status"]] if status == "not_started" else [],
                ),
            ]
        signed = p.short_be(report_day) if rng.random() < 0.5 else p.long_be(report_day)
        blocks += [
            Para("3. กิจกรรมที่ดำเนินการ", bold=True),
            Para(rng.choice(v["obec_activities"])),
            Para("ปัญหาอุปสรรคในการดำเนินงาน .....ไม่มี....."),
            Para("ผู้รับผิดชอบโครงการ", align="right"),
            Para(f"({x['person']})", align="right", space_after=0),
            Para(f"วันที่ {signed}", align="right"),
        ]
        plan.projects.append(ProjectRecord(source=source, doc_type="obec_followup_report", fields=f))
    return plan


BUILDERS: dict[str, Callable[[random.Random, str], DocPlan]] = {
    "bma_project_form": bma_project_form,
    "bma_project_page": bma_project_page,
    "obec_progress_summary": obec_progress_summary,
    "obec_followup_report": obec_followup_report,
}
