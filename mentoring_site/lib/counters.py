"""A number on a home page or a dashboard with the list behind it (UX.md «Home page per role»)."""

from dataclasses import dataclass, field

from mentoring_site.lib.russian import plural


@dataclass(frozen=True)
class Counter:
    """``label`` is either one text (a percent, a phrase that needs no agreement) or the three
    forms of the words after the number, for 1, 2 and 5 (issue 19: «1 анкета ждёт рассмотрения»,
    «2 анкеты ждут рассмотрения», «5 анкет ждут рассмотрения»); then ``label`` becomes the form
    that agrees with ``value`` and ``forms`` keeps all three."""

    label: str | tuple[str, str, str]
    value: int
    url: str
    attention: bool = False
    # On a home that leads with what waits (issue 16, part 5): the next step's button and how
    # urgent it is (the higher, the earlier in the list).
    action: str = ""
    urgency: int = 0
    forms: tuple[str, str, str] | None = field(default=None, init=False)

    def __post_init__(self):
        if isinstance(self.label, tuple):
            object.__setattr__(self, "forms", self.label)
            object.__setattr__(self, "label", plural(self.value, *self.label))
