"""The version for the visually impaired (ГОСТ Р 52872-2019; issue 19, item 6): the settings a
cookie holds, the switch that changes one of them and keeps the others, and the registry's
pages wearing them."""

import pytest
from django.urls import reverse

from mentoring_site.lib import vision

pytestmark = pytest.mark.django_db


def test_a_cookie_reads_as_settings_or_as_the_ordinary_version():
    assert vision.parse("3.wb.off.2") == vision.Vision(
        size="3", scheme="wb", images="off", spacing="2"
    )
    assert vision.parse("1") == vision.Vision()  # the first version's cookie: the defaults
    for broken in ("", None, "9.wb.off.2", "2.red.on.0", "2.bw.on", "2.bw.on.0.1", "<script>"):
        assert vision.parse(broken) is None, broken


def test_a_change_keeps_the_other_settings_and_ignores_unknown_values():
    current = vision.Vision(size="3", scheme="blue", images="off", spacing="1")
    assert vision.changed(current, {"scheme": "wb"}) == vision.Vision("3", "wb", "off", "1")
    assert vision.changed(current, {"scheme": "red", "size": "99"}) == current
    assert vision.changed(None, {"images": "off"}) == vision.Vision(images="off")


def test_the_switch_changes_one_setting_and_returns_to_the_registry_page(client, world):
    client.force_login(world.curator)
    client.cookies["low_vision"] = "3.blue.on.1"
    response = client.get(reverse("public:low-vision"), {"images": "off", "next": "/people/"})
    assert response.status_code == 303 and response["Location"] == "/people/"
    assert response.cookies["low_vision"].value == "3.blue.off.1"
    assert response.cookies["low_vision"]["max-age"] == 365 * 24 * 3600
    page = client.get("/people/").content.decode()
    assert 'class="low-vision lv-size-3 lv-scheme-blue lv-images-off lv-spacing-1"' in page
    assert "css/vision.css" in page
    assert 'aria-label="Настройки версии для слабовидящих"' in page
    # The current choices are marked for screen readers too.
    assert 'aria-current="true" aria-label="Тёмно-синим по голубому"' in page
    assert 'aria-current="true" aria-label="Самый крупный шрифт"' in page


def test_the_ordinary_registry_offers_the_switch_and_loads_nothing_more(client, world):
    client.force_login(world.curator)
    page = client.get("/people/").content.decode()
    assert "Версия для слабовидящих" in page
    assert "css/vision.css" not in page and "low-vision" not in page.split("<body", 1)[0]
