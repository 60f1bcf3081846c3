"""The printed stamping register: one section per seal, in the seal's own numbering, with its totals (issue 13)."""

from seals.models import Seal, StampingEntry
from seals.register_pdf import register_sections


def _entry(seal, sequence, copies=2, impressions=2, **extra):
    entry = StampingEntry(
        seal=seal,
        chain_key=f"seal:{seal.code}:2026",
        sequence=sequence,
        copies=copies,
        impressions=impressions,
        **extra,
    )
    return entry


def test_entries_are_grouped_by_seal_in_each_seals_own_order():
    first, second = Seal(pk=1, code="UBND-TS-02"), Seal(pk=2, code="PTP-TS-01")
    # Quy chế 157, Điều 7.3: each seal's register has its own numbers; 31 exists in both.
    entries = [_entry(first, 32), _entry(second, 31), _entry(first, 31), _entry(second, 32)]
    sections = register_sections(entries)
    assert [s.seal.code for s in sections] == ["PTP-TS-01", "UBND-TS-02"]
    assert [[e.sequence for e in s.entries] for s in sections] == [[31, 32], [31, 32]]


def test_section_totals_leave_out_voided_and_corrected_entries():
    seal = Seal(pk=1, code="UBND-TS-01")
    voided = _entry(seal, 2, correction=StampingEntry.Correction.VOID)
    corrected = _entry(seal, 3, copies=5)
    corrected.is_superseded = True
    (section,) = register_sections([_entry(seal, 1, copies=3, impressions=4), voided, corrected])
    assert (section.entries_count, section.copies, section.impressions) == (1, 3, 4)
    assert len(section.entries) == 3  # still printed, struck through
