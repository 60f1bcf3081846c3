"""What the seal views share: turning a refused rule into a form error, role groups."""

from django import forms

from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.errors import BusinessRuleError

READERS = (Role.VAN_THU, Role.GIAM_DOC, Role.THU_TRUONG, Role.CONG_CHUC, Role.KIEM_TRA)
REGISTER_READERS = (Role.VAN_THU, Role.GIAM_DOC, Role.KIEM_TRA)


def run_service(form: forms.Form, action):
    """Call `action()`; a BusinessRuleError becomes an error on the form (its field, or the whole form)."""
    try:
        return action()
    except BusinessRuleError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return None
