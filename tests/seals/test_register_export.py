"""The stamping register's CSV/XLSX export writes free text as text, never as a formula (issue 11, point 5)."""

import pytest

from procedures.models import Procedure
from seals.services.stamping import stamping_correct, stamping_record
from tests.export_checks import PAYLOADS, assert_csv_is_inert, assert_xlsx_is_inert, csv_rows, xlsx_cells

pytestmark = pytest.mark.django_db

FREE_TEXT = ("dossier_code", "document_type", "document_number", "summary", "signer_name", "requested_by")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_free_text_column_of_the_register_export_is_inert(client_for, seal, catalogue, document, demo_users, fmt):
    clerk = demo_users["vanthu"]
    for payload in PAYLOADS:
        # The clerk's name and the procedure's name are free text too, typed in the admin or the import.
        clerk.full_name = payload
        clerk.save()
        Procedure.objects.filter(pk=catalogue["birth"].pk).update(name=payload)
        entry = stamping_record(
            seal=seal,
            procedure=catalogue["birth"],
            document=document(**dict.fromkeys(FREE_TEXT, payload)),
            actor=clerk,
        )
    stamping_correct(entry=entry, correction="void", reason=PAYLOADS[0], actor=clerk)
    response = client_for("kiemtra").get("/seals/register/", {"format": fmt})
    if fmt == "csv":
        assert_csv_is_inert(csv_rows(response))
    else:
        assert_xlsx_is_inert(xlsx_cells(response))
