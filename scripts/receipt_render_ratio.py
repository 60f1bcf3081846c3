"""Mẫu 01 rendered as the app renders it vs. a bare WeasyPrint render of the same HTML (DESIGN.md section 7: ≤ 1.5×).

Run: `.venv/bin/python scripts/receipt_render_ratio.py` (with the project's settings and a migrated database).
"Bare" is what WeasyPrint does by default: a new font configuration, the stylesheet parsed, no PDF/A.
CPU time of this process is reported beside wall time: on a shared, loaded machine it is the steadier figure.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuson_hcc.settings")

import django  # noqa: E402

django.setup()

from weasyprint import CSS, HTML  # noqa: E402

from tuson_hcc.core import registry  # noqa: E402
from tuson_hcc.documents import rendering  # noqa: E402
from tuson_hcc.documents.samples import sample_document  # noqa: E402

ROUNDS = int(os.environ.get("ROUNDS", "15"))


def _timed(render, clock) -> list[float]:
    render()  # first one apart: warm
    samples = []
    for _ in range(ROUNDS):
        started = clock()
        render()
        samples.append((clock() - started) * 1000)
    return samples


def main() -> None:
    sample = next(s for s in registry.document_samples if s.name == "registrations-mau_01")
    context = {
        **sample.context("typical"),
        "page_size": sample.page_size,
        "document": sample_document(sample, "typical"),
    }
    html = rendering.render_html(sample.template_name, context)
    base_url = rendering.FONT_DIR.as_uri() + "/"
    css_text = rendering.STYLESHEET.read_text(encoding="utf-8")

    def bare():
        HTML(string=html, base_url=base_url).write_pdf(stylesheets=[CSS(string=css_text, base_url=base_url)])

    def app():
        rendering.render_pdf(sample.template_name, context)

    for clock_name, clock in (("wall", time.perf_counter), ("CPU", time.process_time)):
        results = {}
        for _ in range(2):  # alternate, so a load change hits both alike
            results.setdefault("app (template + PDF/A)", []).extend(_timed(app, clock))
            results.setdefault("bare WeasyPrint", []).extend(_timed(bare, clock))
        p50 = {name: statistics.median(values) for name, values in results.items()}
        for name, values in results.items():
            p95 = sorted(values)[int(0.95 * len(values)) - 1]
            print(f"{clock_name:4} {name:24} p50 {p50[name]:7.1f} ms  p95 {p95:7.1f} ms")
        print(f"{clock_name:4} ratio app/bare (p50): {p50['app (template + PDF/A)'] / p50['bare WeasyPrint']:.2f}")


if __name__ == "__main__":
    main()
