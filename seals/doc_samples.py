"""Sample data for the seal documents (biên bản giao nhận, đề nghị mang dấu ra ngoài, sổ đóng dấu):
`make forms-gallery` and the PDF layout tests. Unsaved rows only: nothing is written.

"worst" is issue 13's worst case: names of about 150 characters, long lists, long signer names.
"""

import datetime as dt

from django.utils import timezone

from procedures.models import Procedure
from tuson_hcc.accounts.models import Agency, User
from tuson_hcc.core.models import IssuingBody
from tuson_hcc.core.registry import DocumentSample

from .models import CustodyEntry, OffsiteDecision, OffsiteRequest, Seal, StampingEntry
from .services.custody import MINUTE_KIND

LONG_AGENCY = (
    "Phòng Tài chính – Kế hoạch, Kinh tế, Hạ tầng và Đô thị, Quản lý đất đai, tài nguyên và môi trường, "
    "xây dựng nông thôn mới thuộc Ủy ban nhân dân thành phố Từ Sơn"
)
LONG_DESTINATION = (
    "Hội trường tầng 3, Nhà văn hóa khu phố Đa Hội, phường Châu Khê, thành phố Từ Sơn, tỉnh Bắc Ninh "
    "(buổi tiếp nhận hồ sơ lưu động cho người cao tuổi và người khuyết tật)"
)
LONG_NAMES = (
    "Nguyễn Hoàng Phương Thảo Tôn Nữ Bảo Ngọc Trâm",
    "Trần Thị Thanh Hương Nguyễn Phước Minh Khai",
    "Lê Đình Bảo Quốc Công Tằng Tôn Nữ Huyền Trang",
)


def _at(day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 2, day, hour, minute))


def _people(worst: bool):
    agency = Agency(name=LONG_AGENCY if worst else "Phòng Tư pháp", short_name="TP")
    names = LONG_NAMES if worst else ("Nguyễn Thị Văn", "Trần Minh Giám", "Phạm Văn Công")
    clerk = User(username="vanthu", full_name=names[0], position="Văn thư Trung tâm Hành chính công")
    director = User(username="giamdoc", full_name=names[1], position="Giám đốc Trung tâm Hành chính công")
    official = User(
        username="congchuc",
        full_name=names[2],
        position="Chuyên viên phụ trách tiếp nhận và trả kết quả lĩnh vực tư pháp – hộ tịch"
        if worst
        else "Chuyên viên",
        agency=agency,
    )
    return agency, clerk, director, official


def _seal(agency, code="UBND-TS-02") -> Seal:
    return Seal(code=code, agency=agency, certificate_number="0123/ĐKMD-QLHC")


def _decisions(worst: bool, director, head) -> list[OffsiteDecision]:
    comment = "Đồng ý, đề nghị Văn thư kiểm tra tình trạng con dấu khi giao và khi nhận lại. " * (3 if worst else 1)
    return [
        OffsiteDecision(
            step=step,
            approved=True,
            decided_by=who,
            position=who.position,
            decided_at=_at(20, 8 + i),
            comment=comment.strip(),
        )
        for i, (step, who) in enumerate(
            [
                (OffsiteDecision.Step.DIRECTOR_OPINION, director),
                (OffsiteDecision.Step.HEAD_DECISION, head),
                (OffsiteDecision.Step.DIRECTOR_PERMISSION, director),
            ]
        )
    ]


def _offsite(worst: bool, agency, official, seal) -> OffsiteRequest:
    return OffsiteRequest(
        pk=17,
        seal=seal,
        requested_by=official,
        carrier=official,
        purpose=(
            "Đóng dấu giấy tờ cho người dân tại buổi tiếp nhận hồ sơ lưu động theo kế hoạch của Ủy ban nhân dân "
            "thành phố Từ Sơn. " * (3 if worst else 1)
        ).strip(),
        documents=("Giấy chứng nhận kết hôn; trích lục khai sinh; bản sao từ sổ gốc. " * (4 if worst else 1)).strip(),
        destination=LONG_DESTINATION if worst else "Nhà văn hóa phường Đồng Kỵ",
        starts_at=_at(21, 7, 30),
        due_back_at=_at(21, 17, 0),
        urgency=OffsiteRequest.Urgency.URGENT if worst else OffsiteRequest.Urgency.NORMAL,
        status=OffsiteRequest.Status.PERMITTED,
        version=2 if worst else 1,
        created_at=_at(20, 7),
    )


def _procedures(worst: bool) -> list[Procedure]:
    names = [
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp hoặc chứng nhận",
        "Đăng ký kết hôn có yếu tố nước ngoài",
        "Cấp bản sao trích lục hộ tịch",
    ]
    return [Procedure(code=f"1.00{i}165", name=name) for i, name in enumerate(names * (3 if worst else 1))]


def custody_minute_context(variant: str) -> dict:
    worst = variant == "worst"
    agency, clerk, director, official = _people(worst)
    seal = _seal(agency)
    offsite = _offsite(worst, agency, official, seal)
    entry = CustodyEntry(
        seal=seal,
        movement=CustodyEntry.Movement.RETURN,
        giver=official,
        receiver=clerk,
        occurred_at=_at(21, 16, 45),
        condition="Nguyên vẹn, không sứt mẻ, mực dấu còn đủ" if worst else "Nguyên vẹn",
        note="Đã kiểm tra hình dấu trên giấy thử. " * (3 if worst else 0),
        sequence=48,
        chain_key="custody:1",
    )
    stampings = [
        StampingEntry(
            stamped_at=_at(21, 8 + i % 8, 5 * i % 60),
            document_type="Giấy chứng nhận kết hôn",
            document_number=f"{i + 1}/GCNKH",
            summary=("Cấp cho công dân tại buổi tiếp nhận lưu động khu phố Đa Hội " * (2 if worst else 1)).strip(),
            copies=2,
            sequence=300 + i,
            chain_key="seal:1:2026",
        )
        for i in range(25 if worst else 2)
    ]
    return {
        "issuing_body": IssuingBody(),
        "body": IssuingBody(),
        "entry": entry,
        "offsite_request": offsite,
        "decisions": _decisions(
            worst,
            director,
            User(full_name=LONG_NAMES[2] if worst else "Lê Chủ Tịch", position="Chủ tịch Ủy ban nhân dân thành phố"),
        ),
        "stampings": stampings,
    }


def offsite_request_context(variant: str) -> dict:
    worst = variant == "worst"
    agency, clerk, director, official = _people(worst)
    seal = _seal(agency)
    head = User(full_name=LONG_NAMES[2] if worst else "Lê Chủ Tịch", position="Chủ tịch Ủy ban nhân dân thành phố")
    return {
        "issuing_body": IssuingBody(),
        "body": IssuingBody(),
        "offsite": _offsite(worst, agency, official, seal),
        "decisions": _decisions(worst, director, head),
        "procedures": _procedures(worst),
    }


def register_context(variant: str) -> dict:
    worst = variant == "worst"
    agency, clerk, director, official = _people(worst)
    seals = [_seal(agency, code) for code in ("UBND-TS-01", "UBND-TS-02", "PTP-TS-01")]
    procedure = _procedures(worst)[0]
    entries = []
    for i in range(45 if worst else 9):
        seal = seals[i % 3]
        entries.append(
            StampingEntry(
                seal=seal,
                chain_key=f"seal:{i % 3}:2026",
                sequence=31 + i // 3,  # each seal's own numbering: the same numbers recur across seals
                stamped_at=_at(24, 8 + (i % 9), i % 60),
                procedure=procedure,
                dossier_code=f"H07.24-2602{24:02d}-{i + 1:04d}",
                document_type="Quyết định",
                document_number=f"{100 + i}/QĐ-UBND",
                document_date=dt.date(2026, 2, 24),
                summary=(
                    "Về việc công nhận kết quả tuyển dụng viên chức, phê duyệt kế hoạch và giao chỉ tiêu năm 2026"
                    if worst
                    else "Chứng thực bản sao"
                ),
                signer_name=LONG_NAMES[1] if worst else "Trần Minh Giám",
                signer_position="Phó Chủ tịch Ủy ban nhân dân thành phố Từ Sơn" if worst else "Phó Chủ tịch",
                copies=3,
                impressions=3,
                requested_by=LONG_NAMES[2] if worst else "Phạm Văn Công",
                clerk=clerk,
            )
        )
    return {
        "issuing_body": IssuingBody(),
        "body": IssuingBody(),
        "entries": entries,
        "criteria": _Criteria(),
        "totals": {"entries": len(entries), "copies": 3 * len(entries), "impressions": 3 * len(entries)},
        "truncated": False,
        "generated_by": clerk,
    }


class _Criteria:
    date_from = dt.date(2026, 2, 24)
    date_to = dt.date(2026, 2, 24)
    seal = None


def samples() -> list[DocumentSample]:
    return [
        DocumentSample(
            name="seals-bien_ban_giao_nhan",
            kind=MINUTE_KIND,
            title="Biên bản giao nhận con dấu",
            template_name="seals/documents/custody_minute.html",
            context=custody_minute_context,
        ),
        DocumentSample(
            name="seals-de_nghi_mang_dau",
            kind="de_nghi_mang_dau",
            title="Đề nghị mang con dấu ra ngoài Trung tâm",
            template_name="seals/documents/offsite_request.html",
            context=offsite_request_context,
        ),
        DocumentSample(
            name="seals-so_dong_dau",
            kind="so_dong_dau",
            title="Sổ đóng dấu",
            template_name="seals/documents/register.html",
            context=register_context,
        ),
    ]
