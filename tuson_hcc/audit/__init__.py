"""The access log (nhật ký truy cập): `services.access_event_record(*, kind, request, obj=None, detail="")`.

Logins, failed logins and logouts are recorded by signal receivers; documents record reads.
"""
