"""A number on a home page or a dashboard with the list behind it (UX.md «Home page per role»)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Counter:
    label: str
    value: int
    url: str
    attention: bool = False
