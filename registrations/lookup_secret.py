"""The applicant's lookup secret (mã tra cứu): only its keyed hash is stored (issue 11 point 9).

At the counter the secret is drawn when the desk decides (receipt or guidance) and handed to the
applicant on a slip printed from the response, never from a stored file; online, it is given on
the submission page and by e-mail. A lost secret is replaced by a new one, never read back.
"""

from django.db import transaction

from tuson_hcc.accounts.permissions import require_role
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.history import tracked_save

from .choices import DossierStatus
from .models import Dossier
from .numbering import lookup_secret_hash, lookup_secret_new

# A secret is worth having while there is something to look up or to complete.
SECRET_STATUSES = (DossierStatus.INCOMPLETE, DossierStatus.ACCEPTED, DossierStatus.RESULT_READY)


def lookup_secret_draw(dossier: Dossier) -> str | None:
    """Inside the deciding transaction: a new secret for a counter dossier that has none yet.

    Returns the secret (to print once) or None when the dossier already has one or needs none.
    """
    if dossier.secret_hash or dossier.status not in SECRET_STATUSES:
        return None
    secret = lookup_secret_new()
    dossier.secret_hash = lookup_secret_hash(code=dossier.code, secret=secret)
    Dossier.objects.filter(pk=dossier.pk).update(secret_hash=dossier.secret_hash)
    return secret


def lookup_secret_renew(*, dossier: Dossier, actor) -> str:
    """The applicant lost the slip: a new secret replaces the old one (which stops working)."""
    require_role(actor, Role.TIEP_NHAN)
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if dossier.status in (DossierStatus.REFUSED, DossierStatus.RETURNED):
            raise BusinessRuleError(f"Hồ sơ {dossier.code} đã kết thúc: không cấp mã tra cứu.")
        secret = lookup_secret_new()
        dossier.secret_hash = lookup_secret_hash(code=dossier.code, secret=secret)
        # secret_hash is left out of the history rows (no version is written for it).
        tracked_save(dossier, actor=actor, reason="cấp lại mã tra cứu")
    return secret
