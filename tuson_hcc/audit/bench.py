"""The access log's searches in the project's benchmark (DESIGN.md section 7: an IP, a username, over the years)."""

from tuson_hcc.core.registry import BenchCase


def _busiest_ip() -> str:
    from .models import AccessEvent

    return AccessEvent.objects.exclude(ip=None).order_by("-id").values_list("ip", flat=True).first() or "127.0.0.1"


def cases() -> list[BenchCase]:
    auditor = "kiemtra"
    return [
        BenchCase(name="access log: by IP", username=auditor, path=lambda: f"/history/access/?ip={_busiest_ip()}"),
        BenchCase(
            name="access log: an IP that never came, all years",
            username=auditor,
            path="/history/access/?ip=10.99.99.99",
        ),
        BenchCase(name="access log: by username", username=auditor, path="/history/access/?username=tiepnhan"),
        BenchCase(
            name="access log: a username never typed, all years",
            username=auditor,
            path="/history/access/?username=khong-co-ai",
        ),
        BenchCase(
            name="access log: failed logins from one IP",
            username=auditor,
            path=lambda: f"/history/access/?kind=login_failure&ip={_busiest_ip()}",
        ),
    ]
