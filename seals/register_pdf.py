"""The stamping register as printed: one section per seal, in that seal's own numbering, with its totals.

Each seal keeps its own sequence per year (Quy chế 157, Điều 7.3: the register of each seal), so a
register covering several seals lists them apart: «2026/31» of one seal is not «2026/31» of another.
"""

from dataclasses import dataclass, field

from .models import StampingEntry


@dataclass
class SealSection:
    seal: object
    entries: list = field(default_factory=list)
    entries_count: int = 0  # standing entries: not voided, not corrected by a later one
    copies: int = 0
    impressions: int = 0


def _stands(entry) -> bool:
    return entry.correction != StampingEntry.Correction.VOID and not getattr(entry, "is_superseded", False)


def register_sections(entries) -> list[SealSection]:
    """`entries` grouped by seal (by seal code), each in (year, sequence) order, with standing totals."""
    sections: dict[int, SealSection] = {}
    for entry in entries:
        section = sections.setdefault(entry.seal_id or id(entry.seal), SealSection(seal=entry.seal))
        section.entries.append(entry)
        if _stands(entry):
            section.entries_count += 1
            section.copies += entry.copies or 0
            section.impressions += entry.impressions or 0
    for section in sections.values():
        section.entries.sort(key=lambda e: (e.year, e.sequence))
    return sorted(sections.values(), key=lambda s: s.seal.code)
