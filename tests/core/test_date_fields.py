"""The one dd/mm/yyyy field and its date-time variant (tuson_hcc/core/forms.py): strict, day first, hour required."""

import datetime as dt

import pytest
from django import forms

from tuson_hcc.core.forms import DateField, DateTimeField


class MomentForm(forms.Form):
    day = DateField(required=False)
    at = DateTimeField(required=False)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("07/12/2026 14:30", dt.datetime(2026, 12, 7, 14, 30)),
        ("  07/12/2026   09:05 ", dt.datetime(2026, 12, 7, 9, 5)),
        ("2026-12-07T14:30", dt.datetime(2026, 12, 7, 14, 30)),  # links the pages build themselves
    ],
)
def test_a_date_time_is_read_day_first(typed, expected):
    form = MomentForm({"at": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["at"].replace(tzinfo=None) == expected


@pytest.mark.parametrize(
    "typed", ["12/25/2026 14:30", "07/12/2026", "07/12/2026 2:30 PM", "31/02/2026 10:00", "hôm nay"]
)
def test_a_month_first_a_day_without_its_hour_or_an_impossible_moment_is_refused_in_vietnamese(typed):
    form = MomentForm({"at": typed})
    assert not form.is_valid()
    assert form.errors["at"] == ["Nhập ngày và giờ theo dạng dd/mm/yyyy hh:mm (24 giờ), ví dụ 31/12/2026 14:30."]


def test_the_boxes_are_text_with_a_hint_and_show_day_first():
    form = MomentForm(initial={"at": dt.datetime(2026, 12, 7, 14, 30), "day": dt.date(2026, 12, 7)})
    html = str(form["at"])
    assert 'type="text"' in html and 'placeholder="dd/mm/yyyy hh:mm"' in html and 'value="07/12/2026 14:30"' in html
    assert form.fields["at"].help_text == "dd/mm/yyyy hh:mm (24 giờ), ví dụ 31/12/2026 14:30"
    assert 'value="07/12/2026"' in str(form["day"])


def test_a_model_date_time_gets_the_hint_even_though_the_model_field_has_none():
    from seals.offsite_forms import OffsiteRequestForm

    field = OffsiteRequestForm.base_fields["starts_at"]
    assert isinstance(field, DateTimeField) and "dd/mm/yyyy hh:mm" in str(field.help_text)
