"""The session store: Django's database sessions, the session read by a statement written out (issue 14).

Every signed-in request reads its session; compiling `Session.objects.get(…)` cost more than the read.
"""

from django.contrib.sessions.backends import db
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        table = self.model._meta.db_table
        found = list(
            self.model.objects.raw(
                f'SELECT session_key, session_data, expire_date FROM "{table}" '
                "WHERE session_key = %s AND expire_date > %s",
                [self.session_key, timezone.now()],
            )
        )
        if not found:
            self._session_key = None
            return None
        return found[0]
