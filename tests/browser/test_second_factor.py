"""The curator switches on the second factor with a code from an «app» (computed here from the
device's key, as the phone would), saves the backup codes, and logs in again with a code."""

import re
import time

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD
from tests.browser.test_csp import RECORD_VIOLATIONS


def app_code(device: TOTPDevice) -> str:
    """What the phone shows, for a time step the server has not accepted yet."""
    device.refresh_from_db()
    now_t = int((time.time() - device.t0) // device.step) + device.drift
    ahead = max(device.last_t + 1 - now_t, 0)  # one step ahead is within django-otp's tolerance
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead)
    return f"{code:06d}"


@pytest.mark.browser
def test_the_curator_enrols_and_logs_in_again_with_a_code(
    live_world, page, log_in, log_out, live_server, tmp_path
):
    violations = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Content Security Policy" in message.text
            and violations.append(message.text)
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)
    curator = live_world.curator
    log_in(curator)

    page.get_by_role("button", name=str(curator), exact=True).click()
    page.get_by_role("link", name="Второй фактор").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Второй фактор")
    expect(page.get_by_text("не включён", exact=True)).to_be_visible()
    page.get_by_role("button", name="Включить второй фактор").click()

    # The QR code is drawn and visible under the real CSP; the key is there for typing.
    qr = page.get_by_role("img", name="QR-код для приложения")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] > 150 and box["height"] > 150
    assert page.locator("#qr-path").evaluate("p => getComputedStyle(p).fill") == "rgb(0, 0, 0)"
    device = TOTPDevice.objects.get(user=curator, confirmed=False)
    secret = page.locator("#secret-key").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4})+", secret)
    assert page.evaluate("window.__cspViolations") == []
    page.screenshot(path=tmp_path / "setup.png", full_page=True)

    # A mistyped code is refused next to the field, then the right one switches it on.
    page.get_by_label("Код из приложения").fill("12345")
    page.get_by_role("button", name="Подтвердить и включить").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("Введите шесть цифр из приложения.")
    page.get_by_label("Код из приложения").fill(app_code(device))
    page.get_by_role("button", name="Подтвердить и включить").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Резервные коды")
    expect(page.get_by_text("Второй фактор включён")).to_be_visible()
    codes = page.locator("ol.backup-codes li")
    expect(codes).to_have_count(10)
    backup = codes.first.inner_text()
    page.screenshot(path=tmp_path / "codes.png", full_page=True)
    page.get_by_role("link", name="Коды сохранены").click()
    expect(page.get_by_text("включён", exact=True)).to_be_visible()
    expect(page.get_by_text("осталось 10 из 10")).to_be_visible()
    log_out(curator)

    # The password alone is not enough now: the code page, with nothing else to open.
    page.get_by_label("Имя пользователя").fill(curator.username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(re.compile(r"/account/second-factor/code/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Код подтверждения")
    expect(page.get_by_role("link", name="Банки")).to_have_count(0)
    page.goto(f"{live_server.url}/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Код подтверждения")
    page.screenshot(path=tmp_path / "code.png", full_page=True)
    page.get_by_label("Код подтверждения").fill(backup + "x")
    page.get_by_role("button", name="Войти").click()
    expect(page.locator(".invalid-feedback")).to_contain_text(
        "Введите шесть цифр из приложения или резервный код"
    )
    page.get_by_label("Код подтверждения").fill(app_code(device))
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(re.compile(r"/people/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Все участники")

    assert page.evaluate("window.__cspViolations") == []
    assert violations == []
