from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tuson_hcc.notifications"
    label = "notifications"
    verbose_name = "Thư và tin nhắn gửi đi"

    def ready(self):
        from tuson_hcc.core import registry

        # Picks up messages whose retry time has come, and any whose worker died mid-send.
        registry.register_schedule(
            registry.ScheduledJob(
                name="outbox: gửi lại thư đến hạn", func="tuson_hcc.notifications.tasks.messages_deliver_due", minutes=1
            )
        )
