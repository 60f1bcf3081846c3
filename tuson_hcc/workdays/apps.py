from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "tuson_hcc.workdays"
    label = "workdays"
    verbose_name = "Lịch ngày làm việc"
