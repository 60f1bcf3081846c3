"""The 11 organisation types and their required documents (Thủ tục "Đăng ký mẫu con dấu mới", mục c).

Data, not code: the administrator edits them afterwards (admin, with history). Codes a–l follow
the letters of the procedure card (the last one is printed "l) Tổ chức khác").
"""

from django.db import migrations
from django.utils import timezone

REASON = "nạp danh mục giấy tờ theo Thủ tục mục c"

FOUNDING_OR_CHARTER = "Quyết định thành lập hoặc văn bản quy định về tổ chức, hoạt động của cơ quan có thẩm quyền"
FOUNDING_OR_LICENCE = "Quyết định thành lập hoặc giấy phép hoạt động của cơ quan có thẩm quyền"
FIELD_LICENCE = (
    "Giấy phép hoạt động do cơ quan có thẩm quyền cấp đối với tổ chức phải đăng ký về lĩnh vực hoạt động "
    "theo quy định của pháp luật"
)
SOCIAL = (
    "Mặt trận Tổ quốc Việt Nam, tổ chức chính trị - xã hội, tổ chức chính trị xã hội - nghề nghiệp, tổ chức xã hội, "
    "tổ chức xã hội - nghề nghiệp, quỹ xã hội, quỹ từ thiện, tổ chức phi chính phủ"
)
BUSINESS = "doanh nghiệp, hợp tác xã, liên hiệp hợp tác xã"

# (code, name, [(document, conditional)])
TYPES = [
    ("a", "Cơ quan, tổ chức, chức danh nhà nước sử dụng con dấu có hình Quốc huy", [(FOUNDING_OR_CHARTER, False)]),
    ("b", "Cơ quan có chức năng quản lý nhà nước, cơ quan chuyên môn", [(FOUNDING_OR_CHARTER, False)]),
    ("c", "Tổ chức sự nghiệp", [(FOUNDING_OR_CHARTER, False), (FIELD_LICENCE, True)]),
    (
        "d",
        SOCIAL[0].upper() + SOCIAL[1:],
        [
            (FOUNDING_OR_LICENCE, False),
            ("Điều lệ hoạt động của tổ chức đã được cơ quan có thẩm quyền phê duyệt", False),
        ],
    ),
    (
        "đ",
        "Tổ chức trực thuộc " + SOCIAL,
        [
            (FOUNDING_OR_LICENCE, False),
            (
                "Văn bản quy định về tổ chức, hoạt động do cơ quan có thẩm quyền cấp cho tổ chức theo quy định "
                "của pháp luật",
                False,
            ),
            (FIELD_LICENCE, True),
        ],
    ),
    ("e", "Tổ chức tôn giáo", [("Quyết định công nhận tổ chức của cơ quan có thẩm quyền", False)]),
    (
        "g",
        "Tổ chức trực thuộc tổ chức tôn giáo",
        [
            ("Quyết định của tổ chức tôn giáo về việc thành lập tổ chức tôn giáo trực thuộc", False),
            ("Văn bản của cơ quan có thẩm quyền chấp thuận việc thành lập tổ chức tôn giáo trực thuộc", False),
            (FIELD_LICENCE, True),
        ],
    ),
    (
        "h",
        f"Doanh nghiệp, hợp tác xã, liên hiệp hợp tác xã; chi nhánh, văn phòng đại diện của {BUSINESS}",
        [
            (
                "Giấy phép thành lập và hoạt động hoặc giấy đăng ký hoạt động hoặc giấy phép hoạt động của cơ quan "
                "có thẩm quyền cấp cho tổ chức theo quy định của pháp luật",
                False,
            )
        ],
    ),
    (
        "i",
        f"Tổ chức trực thuộc {BUSINESS} được thành lập, hoạt động theo quy định của pháp luật",
        [("Quyết định thành lập của cơ quan có thẩm quyền", False), (FIELD_LICENCE, True)],
    ),
    (
        "k",
        "Tổ chức nước ngoài không có chức năng ngoại giao hoạt động hợp pháp tại Việt Nam",
        [("Giấy phép hoạt động của cơ quan có thẩm quyền Việt Nam", False)],
    ),
    ("l", "Tổ chức khác được thành lập, hoạt động theo quy định của pháp luật", [(FOUNDING_OR_LICENCE, False)]),
]

# Asked of every dossier: the person sent (Thủ tục mục c, first bullet).
COMMON = [
    "Giấy giới thiệu hoặc Giấy ủy quyền của người được cử đến nộp hồ sơ",
    "Thẻ Căn cước công dân hoặc Chứng minh nhân dân hoặc Hộ chiếu còn giá trị sử dụng của người được cử đến (xuất trình)",
]


def _history(apps, model_name, obj, now):
    historical = apps.get_model("registrations", f"Historical{model_name}")
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    historical.objects.create(
        **values, history_date=now, history_type="+", history_change_reason=REASON, history_user=None
    )


def load(apps, schema_editor):
    OrganisationType = apps.get_model("registrations", "OrganisationType")
    RequiredDocument = apps.get_model("registrations", "RequiredDocument")
    now = timezone.now()
    for order, text in enumerate(COMMON, start=1):
        doc = RequiredDocument.objects.create(organisation_type=None, name=text, order=order)
        _history(apps, "RequiredDocument", doc, now)
    for type_order, (code, name, documents) in enumerate(TYPES, start=1):
        org_type = OrganisationType.objects.create(code=code, name=name, order=type_order)
        _history(apps, "OrganisationType", org_type, now)
        for order, (text, conditional) in enumerate(documents, start=10):
            doc = RequiredDocument.objects.create(
                organisation_type=org_type, name=text, conditional=conditional, order=order
            )
            _history(apps, "RequiredDocument", doc, now)


class Migration(migrations.Migration):
    dependencies = [("registrations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
