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

# The Head of every other agency that owns a seal: without one, nobody could decide an off-site request
# for its seal (Quy chế 157, Điều 6.2).
DEMO_HEADS = [
    DemoUser(username, full_name, position, agency, (Role.THU_TRUONG,), heads_agency=True)
    for username, full_name, position, agency in [
        ("truongphong_tckh", "Nguyễn Văn Bình", "Trưởng phòng Tài chính - Kế hoạch", "Phòng Tài chính - Kế hoạch"),
        ("truongphong_qldt", "Trần Thị Nga", "Trưởng phòng Quản lý đô thị", "Phòng Quản lý đô thị"),
        ("truongphong_nv", "Phạm Văn Toàn", "Trưởng phòng Nội vụ", "Phòng Nội vụ"),
        (
            "truongphong_tnmt",
            "Đặng Thị Thu",
            "Trưởng phòng Tài nguyên và Môi trường",
            "Phòng Tài nguyên và Môi trường",
        ),
        ("truongphong_kt", "Bùi Văn Khánh", "Trưởng phòng Kinh tế", "Phòng Kinh tế"),
        (
            "truongphong_ldtbxh",
            "Ngô Thị Hạnh",
            "Trưởng phòng Lao động - Thương binh và Xã hội",
            "Phòng Lao động - Thương binh và Xã hội",
        ),
        ("truongphong_gddt", "Vũ Văn Thắng", "Trưởng phòng Giáo dục và Đào tạo", "Phòng Giáo dục và Đào tạo"),
        (
            "giamdoc_vpdkdd",
            "Lý Văn Phúc",
            "Giám đốc Chi nhánh Văn phòng đăng ký đất đai",
            "Chi nhánh Văn phòng đăng ký đất đai",
        ),
        ("truongphong_vhtt", "Đinh Thị Yến", "Trưởng phòng Văn hóa và Thông tin", "Phòng Văn hóa và Thông tin"),
        ("chanhthanhtra", "Mai Văn Sơn", "Chánh Thanh tra thành phố", "Thanh tra thành phố"),
    ]
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
    for spec in (*DEMO_USERS, *DEMO_HEADS):
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
