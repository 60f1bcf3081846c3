"""django-q2's admin pages, browse only (issue 11 point 7: no edit without a reason).

The schedules are registered in code and put back in step at every `migrate` (`jobs.schedules`), so an
edit by hand would not last; task results and the queue are the worker's own records. Failed work is
retried by the services that queued it (the outbox has its retries and "Gửi lại").
"""

from django.contrib import admin
from django_q import admin as q_admin
from django_q.models import Failure, OrmQ, Schedule, Success

from tuson_hcc.core.admin_reason import BrowseOnlyAdminMixin

_QUEUE_SHOWN = admin.site.is_registered(OrmQ)  # django-q2 shows the queue only with the ORM broker
for _model in (Schedule, Success, Failure, OrmQ):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(Schedule)
class ScheduleAdmin(BrowseOnlyAdminMixin, q_admin.ScheduleAdmin):
    pass


@admin.register(Success)
class SuccessAdmin(BrowseOnlyAdminMixin, q_admin.TaskAdmin):
    pass


@admin.register(Failure)
class FailureAdmin(BrowseOnlyAdminMixin, q_admin.FailAdmin):
    pass


class QueueAdmin(BrowseOnlyAdminMixin, q_admin.QueueAdmin):
    pass


if _QUEUE_SHOWN:
    admin.site.register(OrmQ, QueueAdmin)
