"""The (chain_key, sequence) index carries id and both hashes: verify_ledgers reads the links from it alone."""

from django.db import migrations

from tuson_hcc.ledgers.operations import CoveringChainIndex


class Migration(migrations.Migration):
    dependencies = [("registrations", "0008_counter_scans")]

    operations = [
        CoveringChainIndex("handoverentry"),
    ]
