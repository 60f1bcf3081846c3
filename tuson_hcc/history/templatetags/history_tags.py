"""History tags: `{% history_link obj %}` (a link to the record's timeline, for auditors only) and
`{% history_rows page.entries %}` (the history table's rows, written by `HistoryEntry.row_html`, issue 14)."""

from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tuson_hcc.accounts.permissions import user_has_role
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.html_rows import escaped

from ..catalog import tracked_model_for

register = template.Library()


@register.inclusion_tag("history/_history_link.html", takes_context=True)
def history_link(context, obj, label: str = _("Lịch sử thay đổi")):
    """Rendered only for the roles that read history (kiem_tra, giam_doc) and for tracked models."""
    request = context.get("request")
    user = getattr(request, "user", None)
    tracked = tracked_model_for(obj) if obj is not None else None
    if tracked is None or obj.pk is None or not user_has_role(user, Role.KIEM_TRA, Role.GIAM_DOC):
        return {"url": None}
    return {"url": reverse("history:timeline", args=[tracked.label, obj.pk]), "label": label}


@register.simple_tag(takes_context=True)
def history_rows(context, entries) -> str:
    single_record = bool(context.get("single_record"))
    list_url = reverse("history:list")
    return mark_safe("\n".join(e.row_html(single_record=single_record, list_url=list_url) for e in entries))


@register.simple_tag
def ledger_chain_rows(ledger) -> str:
    """The ledgers page's rows, one per chain (122 at the five-year volume): written here with the export
    links joined as strings, not a template loop reversing two URLs per chain (issue 14). Same markup."""
    csv_url, xlsx_url = reverse("history:ledger_export", args=["csv"]), reverse("history:ledger_export", args=["xlsx"])
    show = escaped(gettext("Xem mã băm"))
    label = escaped(quote(ledger.label, safe="/"))
    rows = []
    for head in ledger.chains:
        query = f"?ledger={label}&amp;chain={escaped(quote(head.chain_key, safe='/'))}"
        rows.append(
            '\n    <tr data-testid="ledger-chain">\n'
            f"      <td>{escaped(head.chain_key)}</td>\n"
            f'      <td class="text-end">{head.last_sequence}</td>\n'
            f'      <td class="small"><details class="audit-details"><summary>{show}</summary>'
            f'<span class="font-monospace text-break">{escaped(head.last_hash)}</span></details></td>\n'
            f'      <td class="small text-nowrap"><a href="{csv_url}{query}">CSV</a> · '
            f'<a href="{xlsx_url}{query}">XLSX</a></td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(rows))
