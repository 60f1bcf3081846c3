"""The one filter bar and the dd/mm/yyyy date fields every form and list uses (issue 13, Screens)."""

import datetime as dt

import pytest
from django import forms
from django_filters import CharFilter, ChoiceFilter

from tuson_hcc.accounts.models import User
from tuson_hcc.audit.models import AccessEvent
from tuson_hcc.core.counting import match_count, page_count
from tuson_hcc.core.filters import DateFilter, FilterSet, ModelChoiceFilter
from tuson_hcc.core.forms import DateField, DateTimeField


class _DateForm(forms.Form):
    day = DateField(label="Ngày")
    moment = DateTimeField(label="Lúc", required=False)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("03/12/2026", dt.date(2026, 12, 3)), ("3/12/2026", dt.date(2026, 12, 3)), ("2026-12-03", dt.date(2026, 12, 3))],
)
def test_dates_are_read_day_first(typed, expected):
    form = _DateForm({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == expected


@pytest.mark.parametrize("typed", ["12/31/2026", "03/12/26", "2026/12/03", "3 tháng 12", "31/02/2026"])
def test_month_first_short_years_and_impossible_days_are_refused_with_the_format(typed):
    form = _DateForm({"day": typed})
    assert not form.is_valid()
    assert "dd/mm/yyyy" in form.errors["day"][0]


def test_date_inputs_are_text_with_a_visible_hint_never_the_browsers_locale_widget():
    form = _DateForm(initial={"day": dt.date(2026, 12, 3), "moment": dt.datetime(2026, 12, 3, 14, 30)})
    html = str(form["day"])
    assert 'type="text"' in html and 'placeholder="dd/mm/yyyy"' in html and 'value="03/12/2026"' in html
    assert 'value="03/12/2026 14:30"' in str(form["moment"])
    assert form["day"].help_text == "dd/mm/yyyy"
    moment = _DateForm({"day": "03/12/2026", "moment": "03/12/2026 14:30"})
    assert moment.is_valid() and moment.cleaned_data["moment"].replace(tzinfo=None) == dt.datetime(2026, 12, 3, 14, 30)


class _UserFilter(FilterSet):
    username = CharFilter(lookup_expr="icontains", label="Tên")
    is_active = ChoiceFilter(choices=[("1", "Có")], label="Hoạt động", method="active")
    user = ModelChoiceFilter(queryset=User.objects.all(), field_name="pk", label="Người")
    date_from = DateFilter(field_name="date_joined__date", lookup_expr="gte", label="Từ ngày")
    date_to = DateFilter(field_name="date_joined__date", lookup_expr="lte", label="Đến ngày")
    tab = CharFilter(widget=forms.HiddenInput, method="ignore")

    keep_on_reset = ("tab",)

    class Meta:
        model = User
        fields = []

    def active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")

    def ignore(self, queryset, name, value):
        return queryset


def test_every_empty_choice_reads_tat_ca_and_dates_carry_their_hint_in_the_label(db):
    bar = _UserFilter({})
    html = str(bar.form["is_active"]) + str(bar.form["user"])
    assert "---------" not in html and html.count(">Tất cả</option>") == 2
    assert bar.form.fields["date_from"].label == "Từ ngày (dd/mm/yyyy)"


def test_model_filters_created_from_meta_fields_say_tat_ca_too(db):
    class _ByKind(FilterSet):
        class Meta:
            model = AccessEvent
            fields = ["kind", "user"]

    form = _ByKind({}).form
    assert "---------" not in str(form["kind"]) + str(form["user"])
    assert str(form["kind"]).count(">Tất cả</option>") == 1


def test_the_bar_filters_refuses_reversed_dates_and_keeps_the_tab_on_reset(db, demo_users):
    bar = _UserFilter({"username": "vanthu", "tab": "x", "date_from": "01/01/2000"})
    assert bar.is_valid() and list(bar.qs) == [demo_users["vanthu"]]
    assert bar.reset_query() == "tab=x"
    reversed_dates = _UserFilter({"date_from": "02/05/2026", "date_to": "01/05/2026"})
    assert not reversed_dates.is_valid() and "Từ ngày" in str(reversed_dates.form.non_field_errors())


def test_the_bar_renders_as_one_get_form_with_a_search_role_and_a_reset_link(rf, db):
    from django.template.loader import render_to_string

    html = render_to_string("includes/filter_bar.html", {"filter": _UserFilter({"tab": "x"})}, request=rf.get("/"))
    assert 'method="get"' in html and 'role="search"' in html and 'class="filter-bar' in html
    assert 'href="?tab=x"' in html and "csrfmiddlewaretoken" not in html
    assert 'type="hidden" name="tab" value="x"' in html


def test_match_count_is_exact_up_to_the_cap_then_labelled_an_estimate(db, demo_users):
    users = User.objects.all()
    assert match_count(users).exact and match_count(users).value == users.count()
    capped = match_count(users, cap=2)
    assert not capped.exact and capped.value >= 2


def test_a_page_past_the_first_counts_in_the_lists_own_order_so_the_scan_stops_at_the_cap(
    db, demo_users, django_assert_num_queries
):
    """At five-year volume a COUNT that may walk the list's (time, id) index stops after `cap` rows;
    an unordered one let PostgreSQL bitmap-scan every match first (issue 14)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = list(User.objects.order_by("-date_joined", "-id")[:2])
    with CaptureQueriesContext(connection) as sent:
        count = page_count(User.objects.all(), rows, None, object(), at_field="date_joined")
    assert count.exact and count.value == User.objects.count()
    (sql,) = [q["sql"] for q in sent.captured_queries]
    assert "COUNT(*)" in sql and 'ORDER BY "accounts_user"."date_joined" DESC' in sql and "LIMIT 1001" in sql


def test_the_count_of_a_whole_first_page_is_its_length_without_a_query(db, demo_users, django_assert_num_queries):
    rows = list(User.objects.order_by("pk")[:3])
    with django_assert_num_queries(0):
        count = page_count(User.objects.all(), rows, None, None, at_field="date_joined")
    assert count.exact and count.value == 3


def test_the_bar_keeps_the_chosen_values_and_marks_a_bad_field_like_the_other_forms(rf, db, demo_users):
    """The bar is written out in Python (issue 14) with the classes and error markup crispy-bootstrap5 gives."""
    from django.template.loader import render_to_string

    chosen = demo_users["vanthu"]
    bar = _UserFilter({"user": str(chosen.pk), "is_active": "1", "username": 'a"<b', "date_from": "31/02/2026"})
    html = render_to_string("includes/filter_bar.html", {"filter": bar}, request=rf.get("/"))
    assert f'<option value="{chosen.pk}" selected>' in html and '<option value="1" selected>Có</option>' in html
    assert 'value="a&quot;&lt;b"' in html and "<b" not in html.replace("<button", "")
    assert 'class="select form-select" id="id_user"' in html and 'class="textinput form-control"' in html
    assert 'id="div_id_date_from" class="mb-3"' in html and '<label for="id_date_from" class="form-label">' in html
    assert "date-input dateinput form-control is-invalid" in html and 'aria-invalid="true"' in html
    assert 'id="id_date_from_error" class="invalid-feedback"' in html and "dd/mm/yyyy" in html
    assert html.index('name="date_to"') < html.index('type="hidden" name="tab"')  # hidden fields last
    reversed_dates = _UserFilter({"date_from": "02/05/2026", "date_to": "01/05/2026"})
    html = render_to_string("includes/filter_bar.html", {"filter": reversed_dates}, request=rf.get("/"))
    assert 'class="alert alert-block alert-danger"' in html and "Từ ngày" in html


class _EveryWidget(forms.Form):
    name = forms.CharField(label="Tên", max_length=20, help_text="Ghi rõ họ tên")
    kind = forms.ChoiceField(label="Loại", choices=[("", "—"), ("a", "A & B"), ("b", "C")])
    group = forms.ChoiceField(label="Nhóm", choices=[("", "—"), ("Phòng", [("1", "Một"), ("2", "Hai <2>")])])
    number = forms.TypedChoiceField(label="Số bản", choices=[(1, "1"), (2, "2"), (None, "Không")], required=False)
    day = DateField(label="Ngày")
    count = forms.IntegerField(label="Số", required=False)
    note = forms.CharField(label="Ghi chú", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    signed = forms.BooleanField(label="Đã ký", required=False)
    token = forms.CharField(widget=forms.HiddenInput)
    pick = forms.ChoiceField(label="Chọn", choices=[("x", "X")], widget=forms.RadioSelect, required=False)
    scan = forms.FileField(label="Bản scan", widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))
    photo = forms.FileField(label="Ảnh", required=False, help_text="PNG hoặc JPEG")


def _tags(html: str) -> list:
    from html.parser import HTMLParser

    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, tuple(sorted(attrs))))

        def handle_data(self, data):
            if data.strip():
                found.append(("text", " ".join(data.split())))

    Parser().feed(html)
    return sorted(found)


@pytest.mark.parametrize(
    "data",
    [
        {
            "name": 'Lê "Văn" <A>',
            "kind": "a",
            "day": "03/12/2026",
            "count": "7",
            "note": "a\nb",
            "signed": "on",
            "group": "2",
            "number": "2",
        },
        {"name": "", "kind": "z", "day": "31/02/2026", "count": "x", "token": ""},
    ],
)
def test_fields_drawn_in_python_have_crispys_markup_and_classes(data):
    """`as_field` (desk) and the filter bar give what crispy-bootstrap5's `as_crispy_field` gives (issue 14)."""
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

    from tuson_hcc.core.fields_html import field_html

    for name in _EveryWidget.base_fields:
        ours = field_html(_EveryWidget(data)[name])
        theirs = as_crispy_field(_EveryWidget(data)[name])
        assert _tags(ours) == _tags(theirs), name


@pytest.mark.parametrize("typed", ["999999", "abc", "1.5"])
def test_a_record_filter_refuses_what_is_not_in_its_list_with_a_vietnamese_message(db, demo_users, typed):
    """The chosen record is looked up in the select's own list (issue 14): a value outside it, or not even
    a number, is refused on the field, as Django's own lookup refused it, and nothing is filtered."""
    bar = _UserFilter({"user": typed})
    assert not bar.is_valid()
    assert "Hãy chọn một lựa chọn hợp lệ" in str(bar.errors["user"])
    assert bar.errors["user"].as_data()[0].code == "invalid_choice"


def test_as_widget_writes_an_input_exactly_as_django_does():
    """`{{ field|as_widget }}` (the reports page's period) is `{{ field }}` byte for byte, without its templates."""
    from tuson_hcc.core.templatetags.field_tags import as_widget

    class Form(forms.Form):
        date_from = DateField(label="Từ ngày", required=False)
        name = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"class": "form-control", "data-x": True}))
        hidden = forms.CharField(widget=forms.HiddenInput, required=False)
        kind = forms.ChoiceField(choices=[("a", "A & B")], required=False)

    for data in (None, {"date_from": "15/03/2024", "name": 'Trần "Bình" <b>', "hidden": "x"}, {"date_from": "99/99"}):
        form = Form(data)
        form.is_valid() if data else None
        for bound in form:
            assert str(as_widget(bound)) == str(bound), bound.name
