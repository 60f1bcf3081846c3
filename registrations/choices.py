"""Statuses and choices of the seal-registration intake (Thủ tục "Đăng ký mẫu con dấu mới", steps 1–4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.TextChoices):
    RECEIVED = "received", _("Đã nhận, chờ kiểm tra")
    INCOMPLETE = "incomplete", _("Chưa đầy đủ, chờ bổ sung")
    ACCEPTED = "accepted", _("Đã tiếp nhận, hẹn trả kết quả")
    RESULT_READY = "result_ready", _("Đã có kết quả, chờ trả")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    RETURNED = "returned", _("Đã trả kết quả")


# Thủ tục bước 3 (check → accepted / incomplete / refused), the result's arrival (the engraved seal and the
# Giấy chứng nhận, mục g) and bước 4 (return, only once the result is there). Checked by every service.
ALLOWED = {
    DossierStatus.RECEIVED: {DossierStatus.ACCEPTED, DossierStatus.INCOMPLETE, DossierStatus.REFUSED},
    DossierStatus.INCOMPLETE: {DossierStatus.ACCEPTED, DossierStatus.INCOMPLETE, DossierStatus.REFUSED},
    # ACCEPTED→ACCEPTED: Mẫu 04, a new date.
    DossierStatus.ACCEPTED: {DossierStatus.ACCEPTED, DossierStatus.RESULT_READY},
    DossierStatus.RESULT_READY: {DossierStatus.RETURNED},
    DossierStatus.REFUSED: set(),
    DossierStatus.RETURNED: set(),
}

OPEN_STATUSES = (
    DossierStatus.RECEIVED,
    DossierStatus.INCOMPLETE,
    DossierStatus.ACCEPTED,
    DossierStatus.RESULT_READY,
)


class Timeliness(models.TextChoices):
    """Result early / on time / late against the appointment (TT 01/2018 Mẫu 05, Mẫu 06)."""

    EARLY = "truoc_han", _("Trước hạn")
    ON_TIME = "dung_han", _("Đúng hạn")
    LATE = "qua_han", _("Quá hạn")


class Channel(models.TextChoices):
    """Thủ tục bước 2 and mục b: the three ways to submit."""

    IN_PERSON = "truc_tiep", _("Trực tiếp tại Trung tâm")
    POST = "buu_chinh", _("Qua dịch vụ bưu chính")
    ONLINE = "truc_tuyen", _("Trực tuyến")


class IdKind(models.TextChoices):
    CCCD = "cccd", _("Thẻ Căn cước công dân / Căn cước")
    CMND = "cmnd", _("Chứng minh nhân dân")
    PASSPORT = "ho_chieu", _("Hộ chiếu")


class AuthorisationKind(models.TextChoices):
    INTRODUCTION = "gioi_thieu", _("Giấy giới thiệu")
    POWER_OF_ATTORNEY = "uy_quyen", _("Giấy ủy quyền")


class ItemState(models.TextChoices):
    UNCHECKED = "chua_kiem_tra", _("Chưa kiểm tra")
    PRESENT = "co", _("Có, hợp lệ")
    MISSING = "thieu", _("Thiếu")
    INVALID = "khong_hop_le", _("Không hợp lệ")
    NOT_APPLICABLE = "khong_ap_dung", _("Không áp dụng")


class ItemForm(models.TextChoices):
    """Hình thức giấy tờ (TT 01/2018 Mẫu 02: bản chính / bản chứng thực / bản photo)."""

    ORIGINAL = "ban_chinh", _("Bản chính")
    CERTIFIED = "ban_chung_thuc", _("Bản sao chứng thực")
    PHOTOCOPY = "ban_photo", _("Bản photo")
    SCAN = "ban_scan", _("Bản scan (trực tuyến)")


class DeliveryPlace(models.TextChoices):
    COUNTER = "quay", _("Bộ phận tiếp nhận và trả kết quả")
    POST = "buu_chinh", _("Qua dịch vụ bưu chính")


class DocumentKind(models.TextChoices):
    """The one-stop forms of the form set in force (TT 01/2018/TT-VPCP) and the handover book."""

    RECEIPT = "mau_01", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    GUIDANCE = "mau_02", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
    REFUSAL = "mau_03", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")
    APOLOGY = "mau_04", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả")
    CONTROL_SHEET = "mau_05", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")
    REGISTER = "mau_06", _("Sổ theo dõi hồ sơ")
    HANDOVER_BOOK = "so_giao_nhan_con_dau", _("Sổ giao nhận con dấu")
