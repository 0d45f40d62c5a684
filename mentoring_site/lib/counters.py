"""A number on a home page or a dashboard with the list behind it (UX.md «Home page per role»)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Counter:
    label: str
    value: int
    url: str
    attention: bool = False
    # On a home that leads with what waits (issue 16, part 5): the next step's button and how
    # urgent it is (the higher, the earlier in the list).
    action: str = ""
    urgency: int = 0
