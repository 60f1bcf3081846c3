"""Functions for the enqueue tests to run as jobs."""

calls: list[tuple] = []


def record(*args, **kwargs):
    calls.append((args, kwargs))


def explode(*, progress):
    progress(1, 2)
    raise RuntimeError("hỏng")
