from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "date"
