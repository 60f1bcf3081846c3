"""Demo agencies and users (DESIGN.md section 6), shared by `seed_demo` and the tests."""

import os
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from tuson_hcc.accounts.models import Agency, User
from tuson_hcc.accounts.roles import Role

CITY_COMMITTEE = "Ủy ban nhân dân thành phố Từ Sơn"
CENTRE = "Trung tâm Hành chính công thành phố Từ Sơn"
PROVINCIAL_POLICE = "Công an tỉnh Bắc Ninh"
JUSTICE_DEPARTMENT = "Phòng Tư pháp"

# (name, short name, kind); the departments are the canonical agency names of the catalogue.
AGENCIES = [
    (CITY_COMMITTEE, "UBND", Agency.Kind.PEOPLES_COMMITTEE),
    (CENTRE, "TTHCC", Agency.Kind.CENTRE),
    (JUSTICE_DEPARTMENT, "PTP", Agency.Kind.DEPARTMENT),
    ("Phòng Tài chính - Kế hoạch", "PTCKH", Agency.Kind.DEPARTMENT),
    ("Phòng Quản lý đô thị", "PQLĐT", Agency.Kind.DEPARTMENT),
    ("Phòng Nội vụ", "PNV", Agency.Kind.DEPARTMENT),
    ("Phòng Tài nguyên và Môi trường", "PTNMT", Agency.Kind.DEPARTMENT),
    ("Phòng Kinh tế", "PKT", Agency.Kind.DEPARTMENT),
    ("Phòng Lao động - Thương binh và Xã hội", "PLĐTBXH", Agency.Kind.DEPARTMENT),
    ("Phòng Giáo dục và Đào tạo", "PGDĐT", Agency.Kind.DEPARTMENT),
    ("Chi nhánh Văn phòng đăng ký đất đai", "CNVPĐKĐĐ", Agency.Kind.OTHER),
    ("Phòng Văn hóa và Thông tin", "PVHTT", Agency.Kind.DEPARTMENT),
    ("Thanh tra thành phố", "TTTP", Agency.Kind.DEPARTMENT),
    (PROVINCIAL_POLICE, "CAT", Agency.Kind.POLICE),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    position: str
    agency: str
    roles: tuple[str, ...]
    heads_agency: bool = False
    superuser: bool = False


DEMO_USERS = [
    DemoUser("vanthu", "Nguyễn Thị Hoa", "Văn thư", CENTRE, (Role.VAN_THU,)),
    DemoUser("giamdoc", "Trần Văn Minh", "Giám đốc Trung tâm HCC", CENTRE, (Role.GIAM_DOC,)),
    DemoUser(
        "chutich",
        "Hoàng Văn Hùng",
        "Chủ tịch UBND thành phố",
        CITY_COMMITTEE,
        (Role.THU_TRUONG,),
        heads_agency=True,
    ),
    DemoUser(
        "truongphong",
        "Lê Thị Lan",
        "Trưởng phòng Tư pháp",
        JUSTICE_DEPARTMENT,
        (Role.THU_TRUONG,),
        heads_agency=True,
    ),
    DemoUser("congchuc", "Phạm Đức Anh", "Chuyên viên Phòng Tư pháp", JUSTICE_DEPARTMENT, (Role.CONG_CHUC,)),
    DemoUser("tiepnhan", "Đỗ Quang Huy", "Cán bộ tiếp nhận", PROVINCIAL_POLICE, (Role.TIEP_NHAN,)),
    DemoUser("kiemtra", "Vũ Thị Mai", "Thanh tra viên", "Thanh tra thành phố", (Role.KIEM_TRA,)),
    DemoUser("admin", "Quản trị hệ thống", "Quản trị viên", CENTRE, (Role.QUAN_TRI,), superuser=True),
]


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD", "hcc-demo-2026")


@transaction.atomic
def ensure_demo_agencies() -> dict[str, Agency]:
    agencies = {}
    for name, short_name, kind in AGENCIES:
        agency, _ = Agency.objects.get_or_create(name=name, defaults={"short_name": short_name, "kind": kind})
        agencies[name] = agency
    return agencies


@transaction.atomic
def ensure_demo_users(password: str | None = None) -> dict[str, User]:
    agencies = ensure_demo_agencies()
    # get_or_create: transactional tests flush the groups the data migration made.
    groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
    users = {}
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(
                username=spec.username,
                full_name=spec.full_name,
                position=spec.position,
                agency=agencies[spec.agency],
                is_staff=spec.superuser,
                is_superuser=spec.superuser,
                email=f"{spec.username}@hcc-tuson.example",
            )
            user.set_password(password or demo_password())
            user._change_reason = "tạo người dùng mẫu"
            user.save()
            user.groups.set([groups[str(role)] for role in spec.roles])
        if spec.heads_agency and agencies[spec.agency].head_id is None:
            agency = agencies[spec.agency]
            agency.head = user
            agency._change_reason = "gán thủ trưởng"
            agency.save()
        users[spec.username] = user
    return users
