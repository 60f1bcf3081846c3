"""`import_catalogue`: all or nothing, line-numbered errors, idempotent (issue 2)."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from procedures.importer import CatalogueImportError, import_catalogue
from procedures.models import CatalogueChange, Decision, Procedure

from .conftest import FIXTURES, QD_1691

pytestmark = pytest.mark.django_db

HEADER = "stt,ma_tthc,ten_tthc,linh_vuc,co_quan_thuc_hien,thoi_han_ngay_lam_viec,phi_le_phi\n"


def history_rows() -> int:
    return Procedure.history.count() + CatalogueChange.history.count() + Decision.history.count()


def test_the_published_file_with_its_rough_edges_imports(demo_users):
    report = import_catalogue(FIXTURES / "qd_1691_2021_tthc.csv", actor=None, **QD_1691)
    assert report.created == 73
    assert Procedure.objects.filter(code="").count() == 19


def test_reimporting_the_same_file_changes_nothing(demo_users):
    import_catalogue(FIXTURES / "qd_1691_2021_tthc.csv", actor=None, **QD_1691)
    before = history_rows()
    report = import_catalogue(FIXTURES / "qd_1691_2021_tthc.csv", actor=None, **QD_1691)
    assert (report.created, report.updated, report.changes) == (0, 0, 0)
    assert history_rows() == before


def test_a_bad_file_is_rejected_with_line_numbers_and_nothing_is_imported(demo_users, write_csv):
    path = write_csv(
        HEADER
        + "1,1.001612,Đăng ký thành lập hộ kinh doanh,KD,Phòng Tài chính - Kế hoạch,3,\n"
        + "2,,,KD,Phòng Tài chính - Kế hoạch,3,\n"
        + '3,12345,"Thủ tục, có dấu phẩy",KD,Phòng Không Tồn Tại,ba ngày,\n'
    )
    with pytest.raises(CatalogueImportError) as raised:
        import_catalogue(path, decision_number="1/QĐ", decision_date=date(2022, 1, 1), actor=None)
    errors = raised.value.errors
    assert any(e.startswith("Dòng 3: thiếu tên TTHC") for e in errors)
    assert any(e.startswith("Dòng 4:") and "12345" in e for e in errors)
    assert any(e.startswith("Dòng 4:") and "Phòng Không Tồn Tại" in e for e in errors)
    assert any(e.startswith("Dòng 4:") and "ba ngày" in e for e in errors)
    assert not Procedure.objects.exists() and not Decision.objects.exists()


def test_amending_a_procedure_that_is_not_in_the_catalogue_is_an_error(demo_users, write_csv):
    path = write_csv(
        "ma_tthc,ten_tthc,co_quan_thuc_hien,hanh_dong\n"
        "1.001612,Đăng ký thành lập hộ kinh doanh,Phòng Tài chính - Kế hoạch,sửa đổi\n"
    )
    with pytest.raises(CatalogueImportError) as raised:
        import_catalogue(path, decision_number="2/QĐ", decision_date=date(2022, 1, 1), actor=None)
    assert raised.value.errors == ["Dòng 2: không tìm thấy TTHC này trong danh mục để sửa đổi hoặc bãi bỏ"]


def test_xlsx_with_vietnamese_headers_imports(demo_users, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["STT", "Mã TTHC", "Tên TTHC", "Lĩnh vực", "Cơ quan thực hiện", "Thời hạn giải quyết"])
    sheet.append([1, "1.001612", "Đăng ký thành lập hộ kinh doanh", "Hộ kinh doanh", "Phòng Tài chính - Kế hoạch", 3])
    path = tmp_path / "danh_muc.xlsx"
    book.save(path)
    import_catalogue(path, decision_number="3/QĐ", decision_date=date(2022, 1, 1), actor=None)
    assert Procedure.objects.get(code="1.001612").processing_days == 3


def test_dry_run_writes_nothing(demo_users):
    report = import_catalogue(FIXTURES / "qd_1691_2021_tthc.csv", actor=None, dry_run=True, **QD_1691)
    assert report.created == 73
    assert not Procedure.objects.exists() and not Decision.objects.exists()


def test_command_reports_errors_and_exits_non_zero(demo_users, write_csv, capsys):
    path = write_csv(HEADER + "1,,,KD,Phòng Tư pháp,3,\n")
    with pytest.raises(CommandError):
        call_command("import_catalogue", str(path), "--decision", "4/QĐ", "--date", "2022-01-01")
    assert "Dòng 2: thiếu tên TTHC" in capsys.readouterr().err


def test_command_imports_and_says_what_it_did(demo_users, capsys):
    call_command(
        "import_catalogue",
        str(FIXTURES / "qd_1691_2021_tthc.csv"),
        "--decision",
        "1691/QĐ-UBND",
        "--date",
        "2021-12-29",
    )
    assert "73 TTHC mới" in capsys.readouterr().out


def test_superuser_imports_from_the_admin(client_for, write_csv):
    client = client_for("admin")
    path = write_csv(HEADER + "1,1.001612,Đăng ký thành lập hộ kinh doanh,KD,Phòng Tài chính - Kế hoạch,3,\n")
    with path.open("rb") as handle:
        response = client.post(
            "/admin/procedures/decision/import/",
            {"file": handle, "decision": "5/QĐ", "date": "2022-01-01"},
        )
    assert response.status_code == 302
    assert Procedure.objects.filter(code="1.001612").exists()
