"""Hooks through which the parts plug into the shared core without the core importing them.

Each app registers its navigation entries, dashboard panels, demo-data seeders and benchmark
cases from its AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...] = ()  # empty: every signed-in user
    order: int = 100


@dataclass(frozen=True)
class DashboardPanel:
    """A block on `/`: `context(user)` returns the template context, or None to hide it."""

    title: str
    template: str
    context: Callable[[Any], dict | None]
    roles: tuple[str, ...] = ()
    order: int = 100


@dataclass(frozen=True)
class Seeder:
    """Builds one part's demo data; `run(scale=..., stdout=...)` must be idempotent."""

    name: str
    run: Callable[..., None]
    order: int = 100


@dataclass(frozen=True)
class BenchCase:
    """One timed page or action of the project's benchmark.

    `path` and `data` may be callables so a case can pick real objects at run time;
    `data(i)` gets the iteration number so actions can post fresh rows.
    """

    name: str
    username: str
    path: str | Callable[[], str]
    method: str = "get"
    data: Callable[[int], dict] | None = None
    expect_status: tuple[int, ...] = (200,)
    budget_ms: float = 150.0
    extra: dict = field(default_factory=dict)


nav_items: list[NavItem] = []
dashboard_panels: list[DashboardPanel] = []
seeders: list[Seeder] = []
bench_cases: list[BenchCase] = []


def _add(registry: list, item) -> None:
    if item not in registry:
        registry.append(item)


def register_nav(item: NavItem) -> None:
    _add(nav_items, item)


def register_panel(panel: DashboardPanel) -> None:
    _add(dashboard_panels, panel)


def register_seeder(seeder: Seeder) -> None:
    _add(seeders, seeder)


def register_bench(case: BenchCase) -> None:
    _add(bench_cases, case)
