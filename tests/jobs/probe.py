"""Functions for the enqueue tests to run as jobs."""

calls: list[tuple] = []


def record(*args, **kwargs):
    calls.append((args, kwargs))
