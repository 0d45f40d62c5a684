"""The version for the visually impaired (ГОСТ Р 52872-2019, п. 7.2): font size, colour scheme,
images and letter spacing chosen by the reader, remembered in a cookie, on the public section and
in the registry alike (issue 19, item 6).

The cookie holds four short values, «size.scheme.images.spacing», e.g. «2.wb.off.1». An older
cookie «1» (the first, one-mode version) reads as the defaults; anything else unreadable is no
version at all.
"""

from dataclasses import dataclass, replace

COOKIE = "low_vision"
MAX_AGE = 365 * 24 * 3600

SIZES = {"1": "Крупный шрифт", "2": "Очень крупный шрифт", "3": "Самый крупный шрифт"}
SIZE_SHORT = {"1": "A", "2": "A+", "3": "A++"}
# The schemes ГОСТ Р 52872-2019 names (foreground on background).
SCHEMES = {
    "bw": "Чёрным по белому",
    "wb": "Белым по чёрному",
    "blue": "Тёмно-синим по голубому",
    "beige": "Коричневым по бежевому",
    "green": "Зелёным по тёмно-коричневому",
}
IMAGES = {"on": "Показывать изображения", "off": "Скрыть изображения"}
SPACINGS = {"0": "Обычный интервал", "1": "Увеличенный интервал", "2": "Большой интервал"}
SPACING_SHORT = {"0": "обычный", "1": "увеличенный", "2": "большой"}


@dataclass(frozen=True)
class Vision:
    size: str = "2"  # 24 px: the first version's size
    scheme: str = "bw"
    images: str = "on"
    spacing: str = "0"

    @property
    def cookie(self) -> str:
        return f"{self.size}.{self.scheme}.{self.images}.{self.spacing}"

    @property
    def css_classes(self) -> str:
        """The classes of <html> and <body>: static/css/vision.css styles them."""
        return (
            f"low-vision lv-size-{self.size} lv-scheme-{self.scheme} "
            f"lv-images-{self.images} lv-spacing-{self.spacing}"
        )

    def choices(self) -> list[dict]:
        """Each setting with its options, the current one marked, for the panel of links."""
        groups = [
            ("size", "Размер шрифта", SIZES, SIZE_SHORT),
            ("scheme", "Цвета", SCHEMES, None),
            ("images", "Изображения", IMAGES, {"on": "Показать", "off": "Скрыть"}),
            ("spacing", "Интервал между буквами", SPACINGS, SPACING_SHORT),
        ]
        return [
            {
                "name": name,
                "title": title,
                "options": [
                    {
                        "value": value,
                        "label": label,
                        "short": (short or {}).get(value, label),
                        "current": getattr(self, name) == value,
                    }
                    for value, label in options.items()
                ],
            }
            for name, title, options, short in groups
        ]


OPTIONS = {"size": SIZES, "scheme": SCHEMES, "images": IMAGES, "spacing": SPACINGS}


def parse(value: str | None) -> Vision | None:
    """The settings a cookie holds, or None: the ordinary version."""
    if not value:
        return None
    if value == "1":
        return Vision()
    parts = value.split(".")
    if len(parts) != 4:
        return None
    fields = dict(zip(("size", "scheme", "images", "spacing"), parts, strict=True))
    if any(fields[name] not in OPTIONS[name] for name in fields):
        return None
    return Vision(**fields)


def from_request(request) -> Vision | None:
    return parse(request.COOKIES.get(COOKIE))


def changed(current: Vision | None, query) -> Vision:
    """``current`` (or the defaults) with the settings a link or form asks for; unknown values
    are ignored, never stored."""
    settings = current or Vision()
    asked = {name: query.get(name) for name in OPTIONS if query.get(name) in OPTIONS[name]}
    return replace(settings, **asked)
