"""Statuses and choices of the seal-registration intake (Thủ tục "Đăng ký mẫu con dấu mới", steps 1–4)."""

from django.db import models


class DossierStatus(models.TextChoices):
    RECEIVED = "received", "Đã nhận, chờ kiểm tra"
    INCOMPLETE = "incomplete", "Chưa đầy đủ, chờ bổ sung"
    ACCEPTED = "accepted", "Đã tiếp nhận, hẹn trả kết quả"
    RESULT_READY = "result_ready", "Đã có kết quả, chờ trả"
    REFUSED = "refused", "Từ chối tiếp nhận"
    RETURNED = "returned", "Đã trả kết quả"


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

    EARLY = "truoc_han", "Trước hạn"
    ON_TIME = "dung_han", "Đúng hạn"
    LATE = "qua_han", "Quá hạn"


class Channel(models.TextChoices):
    """Thủ tục bước 2 and mục b: the three ways to submit."""

    IN_PERSON = "truc_tiep", "Trực tiếp tại Trung tâm"
    POST = "buu_chinh", "Qua dịch vụ bưu chính"
    ONLINE = "truc_tuyen", "Trực tuyến"


class IdKind(models.TextChoices):
    CCCD = "cccd", "Thẻ Căn cước công dân / Căn cước"
    CMND = "cmnd", "Chứng minh nhân dân"
    PASSPORT = "ho_chieu", "Hộ chiếu"


class AuthorisationKind(models.TextChoices):
    INTRODUCTION = "gioi_thieu", "Giấy giới thiệu"
    POWER_OF_ATTORNEY = "uy_quyen", "Giấy ủy quyền"


class ItemState(models.TextChoices):
    UNCHECKED = "chua_kiem_tra", "Chưa kiểm tra"
    PRESENT = "co", "Có, hợp lệ"
    MISSING = "thieu", "Thiếu"
    INVALID = "khong_hop_le", "Không hợp lệ"
    NOT_APPLICABLE = "khong_ap_dung", "Không áp dụng"


class ItemForm(models.TextChoices):
    """Hình thức giấy tờ (TT 01/2018 Mẫu 02: bản chính / bản chứng thực / bản photo)."""

    ORIGINAL = "ban_chinh", "Bản chính"
    CERTIFIED = "ban_chung_thuc", "Bản sao chứng thực"
    PHOTOCOPY = "ban_photo", "Bản photo"
    SCAN = "ban_scan", "Bản scan (trực tuyến)"


class DeliveryPlace(models.TextChoices):
    COUNTER = "quay", "Bộ phận tiếp nhận và trả kết quả"
    POST = "buu_chinh", "Qua dịch vụ bưu chính"


class DocumentKind(models.TextChoices):
    """The one-stop forms of the form set in force (TT 01/2018/TT-VPCP) and the handover book."""

    RECEIPT = "mau_01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    GUIDANCE = "mau_02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
    REFUSAL = "mau_03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"
    APOLOGY = "mau_04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    CONTROL_SHEET = "mau_05", "Phiếu kiểm soát quá trình giải quyết hồ sơ"
    REGISTER = "mau_06", "Sổ theo dõi hồ sơ"
    HANDOVER_BOOK = "so_giao_nhan_con_dau", "Sổ giao nhận con dấu"
