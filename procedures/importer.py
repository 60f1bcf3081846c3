"""Import a published catalogue list (CSV or XLSX): parse, validate every row, then apply all or nothing.

Columns as the province publishes them (`fixtures/qd_1691_2021_tthc.csv`): STT, mã TTHC, tên TTHC,
lĩnh vực, cơ quan thực hiện, thời hạn (ngày làm việc), phí/lệ phí, ghi chú cơ quan, nguồn; optional
"hành động" (thêm / sửa đổi / thay thế / bãi bỏ; default thêm) and "thay thế cho" (code or name of
the procedure a row replaces).
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from tuson_hcc.accounts.models import Agency
from tuson_hcc.core.errors import BusinessRuleError

from .models import CatalogueChange, Procedure, search_key
from .selectors import procedure_is_in_force
from .services import catalogue_apply_change, decision_get_or_create, procedure_save_published

Action = CatalogueChange.Action

HEADER_ALIASES = {
    "stt": ["stt", "so thu tu", "tt"],
    "ma_tthc": ["ma tthc", "ma thu tuc", "ma thu tuc hanh chinh", "ma so", "ma"],
    "ten_tthc": ["ten tthc", "ten thu tuc", "ten thu tuc hanh chinh"],
    "linh_vuc": ["linh vuc"],
    "co_quan_thuc_hien": ["co quan thuc hien", "co quan giai quyet", "don vi thuc hien"],
    "thoi_han_ngay_lam_viec": ["thoi han ngay lam viec", "thoi han", "thoi han giai quyet", "thoi gian giai quyet"],
    "phi_le_phi": ["phi le phi", "le phi", "phi"],
    "ghi_chu_co_quan": ["ghi chu co quan", "ghi chu"],
    "nguon": ["nguon"],
    "hanh_dong": ["hanh dong", "thao tac", "loai thay doi"],
    "thay_the": ["thay the", "thay the cho", "thay the ma", "tthc bi thay the"],
}
_HEADER_LOOKUP = {alias: key for key, aliases in HEADER_ALIASES.items() for alias in [key.replace("_", " "), *aliases]}

ACTION_WORDS = {
    "": Action.ADD,
    "them": Action.ADD,
    "them moi": Action.ADD,
    "cong bo moi": Action.ADD,
    "add": Action.ADD,
    "sua doi": Action.AMEND,
    "sua doi bo sung": Action.AMEND,
    "amend": Action.AMEND,
    "thay the": Action.REPLACE,
    "replace": Action.REPLACE,
    "bai bo": Action.ABOLISH,
    "abolish": Action.ABOLISH,
}
CODE_PATTERN = re.compile(r"^\d\.\d{6}$")


class CatalogueImportError(BusinessRuleError):
    """The file has bad rows; `errors` lists them, each starting with its line number."""

    def __init__(self, errors: list[str]):
        super().__init__("Tệp có lỗi, không nhập dòng nào:\n" + "\n".join(errors))
        self.errors = errors


@dataclass
class Row:
    line: int
    values: dict[str, str]
    action: str = Action.ADD
    agency: Agency | None = None
    processing_days: int | None = None
    procedure: Procedure | None = None  # existing match, if any
    replaces: Procedure | None = None


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: int = 0
    messages: list[str] = field(default_factory=list)


def _normalise_header(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", " ", search_key(text.replace("_", " "))).strip().replace("  ", " ")


def read_rows(path: Path) -> list[Row]:
    """Rows of a CSV (UTF-8, BOM or not) or XLSX file, each with its line number in the file."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).active
        records = [
            (number, ["" if cell is None else str(cell).strip() for cell in row])
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    elif path.suffix.lower() == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        reader = csv.reader(io.StringIO(text))
        records = [(reader.line_num, [cell.strip() for cell in row]) for row in reader]
    else:
        raise CatalogueImportError(
            [f"Định dạng tệp {path.suffix or '(không có đuôi)'} không hỗ trợ; dùng .csv hoặc .xlsx."]
        )
    if not records:
        raise CatalogueImportError(["Dòng 1: tệp trống."])
    header_line, header = records[0]
    keys = [_HEADER_LOOKUP.get(_normalise_header(h)) for h in header]
    missing = [k for k in ("ten_tthc", "co_quan_thuc_hien") if k not in keys]
    if missing:
        raise CatalogueImportError([f"Dòng {header_line}: thiếu cột {', '.join(missing)} trong dòng tiêu đề."])
    rows = []
    for line, cells in records[1:]:
        if not any(cells):
            continue
        values = {key: cells[i] if i < len(cells) else "" for i, key in enumerate(keys) if key}
        rows.append(Row(line=line, values=values))
    return rows


def _find(code: str, name: str) -> Procedure | None:
    if code:
        return Procedure.objects.filter(code=code).first()
    return Procedure.objects.filter(code="", name=name).first()


def _find_by_reference(reference: str) -> Procedure | None:
    if CODE_PATTERN.match(reference):
        return Procedure.objects.filter(code=reference).first()
    return Procedure.objects.filter(name__iexact=reference).first()


def validate(rows: list[Row], *, decision_number: str, effective_on: date) -> list[str]:
    """Fill in each row's agency, action and match; return every error, line-numbered."""
    errors: list[str] = []
    agencies = {a.name: a for a in Agency.objects.all()}
    seen: dict[str, int] = {}
    for row in rows:
        v = row.values
        code, name = v.get("ma_tthc", ""), v.get("ten_tthc", "")
        problems = []
        if not name:
            problems.append("thiếu tên TTHC")
        if code and not CODE_PATTERN.match(code):
            problems.append(f"mã TTHC '{code}' không đúng dạng (ví dụ 1.001612)")
        row.agency = agencies.get(v.get("co_quan_thuc_hien", ""))
        if row.agency is None:
            problems.append(f"cơ quan thực hiện '{v.get('co_quan_thuc_hien', '')}' không có trong danh sách cơ quan")
        days = v.get("thoi_han_ngay_lam_viec", "")
        if days:
            if days.isdigit() and int(days) > 0:
                row.processing_days = int(days)
            else:
                problems.append(f"thời hạn '{days}' phải là số ngày làm việc (số nguyên dương)")
        action = ACTION_WORDS.get(search_key(v.get("hanh_dong", "")))
        if action is None:
            problems.append(f"hành động '{v.get('hanh_dong')}' không hợp lệ (thêm, sửa đổi, thay thế, bãi bỏ)")
        else:
            row.action = action
        identity = code or search_key(name)
        if identity in seen:
            problems.append(f"trùng với dòng {seen[identity]}")
        seen.setdefault(identity, row.line)
        row.procedure = _find(code, name) if name else None
        if action in (Action.AMEND, Action.ABOLISH) and row.procedure is None and name:
            problems.append("không tìm thấy TTHC này trong danh mục để sửa đổi hoặc bãi bỏ")
        if action == Action.REPLACE:
            reference = v.get("thay_the", "")
            row.replaces = _find_by_reference(reference) if reference else None
            if row.replaces is None:
                problems.append(f"không tìm thấy TTHC bị thay thế '{reference}' (cột 'thay thế cho')")
        if (
            action == Action.ADD
            and row.procedure is not None
            and procedure_is_in_force(procedure=row.procedure, on=effective_on)
            and not row.procedure.catalogue_changes.filter(decision__number=decision_number).exists()
        ):
            problems.append("TTHC đã có trong danh mục đang hiệu lực; dùng hành động 'sửa đổi'")
        errors.extend(f"Dòng {row.line}: {p}" for p in problems)
    return errors


def _apply_wording(row: Row, procedure: Procedure) -> bool:
    v = row.values
    wording = {
        "code": v.get("ma_tthc", ""),
        "name": v.get("ten_tthc", ""),
        "field": v.get("linh_vuc", ""),
        "implementing_agency": row.agency,
        "processing_days": row.processing_days,
        "fees": v.get("phi_le_phi", ""),
        "agency_note": v.get("ghi_chu_co_quan", ""),
        "source": v.get("nguon", ""),
    }
    changed = False
    for name, value in wording.items():
        if name == "implementing_agency":
            same = procedure.implementing_agency_id == value.pk
        else:
            same = getattr(procedure, name) == value
        if not same:
            setattr(procedure, name, value)
            changed = True
    return changed


def import_catalogue(
    path: Path, *, decision_number: str, decision_date: date, actor, dry_run: bool = False, decision_title: str = ""
) -> ImportReport:
    """Import the file for one decision; raises CatalogueImportError, with nothing written, on any bad row."""
    rows = read_rows(path)
    errors = validate(rows, decision_number=decision_number, effective_on=decision_date)
    if errors:
        raise CatalogueImportError(errors)
    report = ImportReport()
    with transaction.atomic():
        decision = decision_get_or_create(
            number=decision_number,
            signed_on=decision_date,
            effective_on=decision_date,
            actor=actor,
            title=decision_title,
        )
        for row in rows:
            procedure = row.procedure or Procedure()
            if row.action == Action.ABOLISH:
                changed = False
            else:
                changed = _apply_wording(row, procedure)
            if procedure.pk is None:
                procedure_save_published(procedure=procedure, decision=decision, actor=actor)
                report.created += 1
            elif changed:
                procedure_save_published(procedure=procedure, decision=decision, actor=actor)
                report.updated += 1
            else:
                report.unchanged += 1
            action = Action.ADD if row.action == Action.REPLACE else row.action
            recorded = [catalogue_apply_change(decision=decision, procedure=procedure, action=action, actor=actor)]
            if row.action == Action.REPLACE:
                recorded.append(
                    catalogue_apply_change(
                        decision=decision,
                        procedure=row.replaces,
                        action=Action.REPLACE,
                        replaced_by=procedure,
                        actor=actor,
                    )
                )
            report.changes += sum(1 for change in recorded if change is not None)
        if dry_run:
            transaction.set_rollback(True)
    return report
