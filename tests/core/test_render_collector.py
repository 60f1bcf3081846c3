"""The cyclic garbage collector is paused while a document is laid out and written (issue 14), and
only then: it is on again after every render, a failed one too, and a collector someone else turned
off stays off. A request's receipt and the bench's bare reference render go through the same pause."""

import gc
import threading

import pytest
from django.utils.timezone import now

from tuson_hcc.documents import rendering

HTML = '<html lang="vi"><head><title>t</title></head><body><p>Giấy tiếp nhận hồ sơ</p></body></html>'


@pytest.fixture
def collector_seen(monkeypatch):
    """Whether the collector was on each time a document was laid out."""
    seen = []
    layout = rendering._layout

    def recording(html):
        seen.append(gc.isenabled())
        return layout(html)

    monkeypatch.setattr(rendering, "_layout", recording)
    return seen


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    gc.enable() if was else gc.disable()


def test_a_bare_render_lays_out_with_the_collector_paused_and_resumes_it(collector_on, collector_seen):
    pdf = rendering.html_to_pdf(HTML)
    assert pdf.startswith(b"%PDF")
    assert collector_seen == [False]
    assert gc.isenabled()


@pytest.mark.django_db
def test_a_document_render_pauses_each_fitting_layout_and_resumes_it(collector_on, collector_seen, demo_users):
    document = {"kind": "thu", "title": "Thử", "number": "", "verify_url": "", "qr_data_uri": "", "issued_at": now()}
    pdf = rendering.render_pdf("documents/base_document.html", {"document": document, "fit_pages": 1})
    assert pdf.startswith(b"%PDF")
    assert collector_seen and not any(collector_seen)
    assert gc.isenabled()


def test_a_failed_render_resumes_the_collector(collector_on, monkeypatch):
    def failing(html):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(rendering, "_layout", failing)
    with pytest.raises(RuntimeError):
        rendering.html_to_pdf(HTML)
    assert gc.isenabled()


def test_a_collector_turned_off_by_someone_else_stays_off(collector_on, collector_seen):
    gc.disable()
    rendering.html_to_pdf(HTML)
    assert collector_seen == [False]
    assert not gc.isenabled()


def test_two_threads_rendering_at_once_resume_the_collector_only_when_both_are_done(collector_on):
    inside, leave = threading.Event(), threading.Event()

    def other_render():
        with rendering._collector_paused():
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=other_render)
    thread.start()
    assert inside.wait(5)
    with rendering._collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread is still laying out
    leave.set()
    thread.join(5)
    assert gc.isenabled()
