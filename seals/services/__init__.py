"""Every change to seals, their custody and their logs: one function per action (STYLE.md rule 1)."""
