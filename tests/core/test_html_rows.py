"""The rows' formatter writes exactly what `format_html` writes (issue 14: same markup, less cost)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from tuson_hcc.core.html_rows import html_format


def test_html_format_escapes_like_format_html_and_keeps_safe_values():
    template = '<td class="{}"><a href="{}">{}</a>{}</td>'
    args = ('a"b', "/x/?q=1&r=<2>", "<script>alert('x')</script>", mark_safe("<b>đã</b>"))
    assert html_format(template, *args) == format_html(template, *args)
    assert isinstance(html_format(template, *args), SafeString)
    assert "&lt;script&gt;" in html_format(template, *args) and "<b>đã</b>" in html_format(template, *args)


def test_html_format_takes_numbers_none_and_lazy_translations():
    args = (3, None, gettext_lazy("Tất cả"))
    assert html_format("{}|{}|{}", *args) == format_html("{}|{}|{}", *args)
