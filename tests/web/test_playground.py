"""The playground end to end in headless chromium against a live server: sign in, describe a
photo and play the spoken description, speak text and browse voices, transcribe audio,
cloning, the account page (chart, keys created once and revoked), keyboard-only use and a
phone-sized viewport. Every page is photographed into tests/_artifacts/web/."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from support.accounts import make_key
from support.speech import assert_heard

pytestmark = pytest.mark.slow

KEY_RE = re.compile(r"^seesay_(live|test)_[A-Za-z0-9_-]{20,}$")


@pytest.fixture(scope="module")
def photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from skimage import data

    path = tmp_path_factory.mktemp("img") / "chelsea.jpg"
    Image.fromarray(data.chelsea()).save(path, "JPEG", quality=90)
    return path


@pytest.fixture(scope="module")
def speech_wav(live: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real spoken sentence, synthesized by the server itself."""
    headers = {"Authorization": f"Bearer {live.key.key}"}
    r = httpx.post(
        f"{live.base}/v1/speech",
        json={
            "text": "The quick brown fox jumps over the lazy dog.",
            "voice": "rex",
            "format": "wav",
        },
        headers=headers,
        timeout=120,
    )
    r.raise_for_status()
    audio = httpx.get(r.json()["audio_url"], timeout=30)
    path = tmp_path_factory.mktemp("audio") / "fox.wav"
    path.write_bytes(audio.content)
    return path


def wait_playable(page: Any, selector: str) -> dict[str, Any]:
    """Wait until the audio element has loaded metadata; return its state."""
    page.wait_for_function(
        "s => { const a = document.querySelector(s);"
        " return a && a.readyState >= 1 && a.duration > 0 }",
        arg=selector,
        timeout=60_000,
    )
    state: dict[str, Any] = page.evaluate(
        "s => { const a = document.querySelector(s);"
        " return {src: a.currentSrc, duration: a.duration, error: a.error && a.error.code} }",
        selector,
    )
    return state


def play(page: Any, selector: str) -> float:
    """Play the element (the page has had a user gesture) and return how far it got."""
    page.evaluate("s => document.querySelector(s).play()", selector)
    page.wait_for_function(
        "s => document.querySelector(s).currentTime > 0.2", arg=selector, timeout=30_000
    )
    return float(page.evaluate("s => document.querySelector(s).currentTime", selector))


def test_sign_in_keeps_the_key_out_of_urls_and_signs_out(
    live: Any, page: Any, problems: Any, shoot: Any
) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(live.base + "/")
    shoot(page, "01-sign-in")
    page.get_by_label("API key", exact=True).fill("seesay_live_" + "x" * 43)
    page.get_by_role("button", name="Sign in").click()
    alert = page.locator("#signin-error")
    alert.wait_for(state="visible")
    assert "not accepted" in alert.inner_text()

    page.get_by_label("API key", exact=True).fill(live.key.key)
    page.get_by_role("button", name="Sign in").click()
    page.locator("#nav").wait_for(state="visible")
    assert page.locator("#session-who").inner_text().startswith("paid account")
    stored = page.evaluate("sessionStorage.getItem('seesay.apiKey')")
    assert stored == live.key.key
    assert page.evaluate("localStorage.length") == 0
    assert all(live.key.key not in url for url in [*requests, page.url])

    # A reload stays signed in (same tab); signing out forgets the key.
    page.reload()
    page.locator("#nav").wait_for(state="visible")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("API key", exact=True).wait_for(state="visible")
    assert page.evaluate("sessionStorage.getItem('seesay.apiKey')") is None
    assert page.locator("#nav").is_hidden()
    # The bad key's 401 is the only console error (the browser logs failed fetches).
    problems.expect_none(allowed=("401",))


def test_describe_a_photo_and_play_it(
    live: Any, page: Any, problems: Any, photo: Path, shoot: Any, sign_in: Any
) -> None:
    sign_in(page, live.base, live.key.key, "describe")
    page.locator("#describe-file").set_input_files(str(photo))
    page.locator("#describe-preview").wait_for(state="visible")  # once the image has a size
    page.locator("#describe-voice").select_option("rex")
    page.get_by_text("Brief", exact=True).click()
    page.get_by_role("button", name="Describe and speak").click()

    text = page.locator("#describe-output .description")
    text.wait_for(timeout=120_000)
    description = text.inner_text()
    assert "cat" in description.lower()
    # The result sits in a polite live region, so screen readers read it.
    region = page.locator("#describe-output")
    assert region.get_attribute("aria-live") == "polite"

    audio = "#describe-output audio"
    state = wait_playable(page, audio)
    assert state["error"] is None
    assert state["duration"] > 0.5
    assert state["src"].startswith(live.base + "/files/")
    chips = page.locator("#describe-output .chips").inner_text()
    assert "Voice" in chips
    assert "(for rex)" in chips
    assert "Took" in chips
    download = page.get_by_role("link", name="Download audio")
    assert download.get_attribute("download", timeout=1000).endswith(".mp3")
    assert play(page, audio) > 0.2
    shoot(page, "02-describe")
    problems.expect_none()


# Builds a File from base64 in the page and hands it over as a drop or a paste, the way the
# browser does when a person drags a file onto the drop zone or presses Ctrl+V.
_GIVE_FILE = """([how, b64, name]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const data = new DataTransfer();
  data.items.add(new File([bytes], name, { type: "image/jpeg" }));
  const init = { bubbles: true, cancelable: true };
  if (how === "drop") {
    const zone = document.getElementById("describe-drop");
    zone.dispatchEvent(new DragEvent("dragover", { ...init, dataTransfer: data }));
    zone.dispatchEvent(new DragEvent("drop", { ...init, dataTransfer: data }));
  } else {
    document.dispatchEvent(new ClipboardEvent("paste", { ...init, clipboardData: data }));
  }
}"""


def test_an_image_dropped_or_pasted_is_described(
    live: Any, page: Any, problems: Any, photo: Path, sign_in: Any
) -> None:
    sign_in(page, live.base, live.key.key, "describe")
    b64 = base64.b64encode(photo.read_bytes()).decode()
    status = page.locator("#describe-file-status")
    page.get_by_text("From a URL", exact=True).click()  # a drop switches back to the file
    page.evaluate(_GIVE_FILE, ["drop", b64, "dropped-cat.jpg"])
    page.wait_for_function("() => !document.getElementById('describe-preview').hidden")
    assert "dropped-cat.jpg" in status.inner_text()
    assert page.locator("#describe-file-pane").is_visible()
    assert page.locator("#describe-drop").get_attribute("data-empty") == "false"

    page.evaluate(_GIVE_FILE, ["paste", b64, "pasted-cat.jpg"])
    page.wait_for_function(
        "() => document.getElementById('describe-file-status').textContent.includes('pasted')"
    )
    assert page.locator("#describe-preview").get_attribute("alt") == "Preview of pasted-cat.jpg"
    page.get_by_role("button", name="Describe and speak").click()
    text = page.locator("#describe-output .description")
    text.wait_for(timeout=120_000)
    assert "cat" in text.inner_text().lower()
    problems.expect_none()


def test_describe_reports_a_refused_url(live: Any, page: Any, problems: Any, sign_in: Any) -> None:
    sign_in(page, live.base, live.key.key)
    page.get_by_text("From a URL", exact=True).click()
    page.get_by_label("Image URL").fill("http://127.0.0.1:9/private.png")
    page.get_by_role("button", name="Describe and speak").click()
    error = page.locator("#describe-error")
    error.wait_for(state="visible")
    assert "loopback" in error.inner_text()
    problems.expect_none(allowed=("400",))


def test_speak_and_browse_voices(
    live: Any, page: Any, problems: Any, shoot: Any, sign_in: Any
) -> None:
    sign_in(page, live.base, live.key.key, "speak")
    page.get_by_label("Text", exact=True).fill("Good morning. The playground speaks.")
    page.get_by_role("button", name="Speak", exact=True).click()
    state = wait_playable(page, "#speak-output audio")
    assert state["duration"] > 0.5
    assert play(page, "#speak-output audio") > 0.2

    # Filter the voice browser: English male voices only.
    page.locator("#voices-language").select_option("en")
    page.locator("#voices-gender").select_option("male")
    voices = page.locator("#voices-list > li.voice")
    assert voices.count() >= 1
    for tags in voices.locator(".voice-tags").all_inner_texts():
        assert "English" in tags
        assert "female" not in tags
        assert "male" in tags
    first = voices.first
    voice_id = first.locator(".voice-name code").inner_text()
    first.get_by_role("button", name=re.compile("^Play a sample")).click()
    page.wait_for_function(
        "() => { const a = document.getElementById('voices-sample');"
        " return a.currentSrc && a.duration > 0 && a.currentTime > 0 }",
        timeout=60_000,
    )
    first.get_by_role("button", name=re.compile("^Use ")).click()
    page.wait_for_function(
        "id => document.getElementById('speak-voice').value === id"
        " && document.activeElement.id === 'speak-text'",
        arg=voice_id,
    )
    assert page.locator("#speak-language").input_value() == "en"
    page.locator("#voices-language").select_option("")
    page.locator("#voices-gender").select_option("")
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "03-speak")
    problems.expect_none()


def test_transcribe_an_upload_with_timestamps(
    live: Any, page: Any, problems: Any, speech_wav: Path, shoot: Any, sign_in: Any
) -> None:
    sign_in(page, live.base, live.key.key, "transcribe")
    page.get_by_label("Upload an audio file").set_input_files(str(speech_wav))
    page.get_by_role("button", name="Transcribe").click()
    text = page.locator("#transcribe-output .description")
    text.wait_for(timeout=120_000)
    assert_heard("The quick brown fox jumps over the lazy dog.", text.inner_text())
    segments = page.locator("#transcribe-output .segment")
    assert segments.count() >= 1
    assert re.match(r"0:0\d\.\d – 0:0\d\.\d", segments.first.locator(".segment-time").inner_text())
    segments.first.click()  # plays the upload from the segment's start
    page.wait_for_function("() => document.getElementById('transcribe-player').currentTime > 0")
    shoot(page, "04-transcribe")
    problems.expect_none()


def test_clone_a_voice_and_speak_with_it(
    live: Any, page: Any, problems: Any, speech_wav: Path, shoot: Any, sign_in: Any
) -> None:
    """Clones when the server has ``POST /v1/voices``; otherwise the page says it has none."""
    paths = httpx.get(f"{live.base}/openapi.json").json()["paths"]
    rich = make_key(live.platform, plan="paid", credits=1500)  # a clone costs 1000 credits
    sign_in(page, live.base, rich.key, "clone")
    if "post" not in paths.get("/v1/voices", {}):
        notice = page.locator("#clone-unavailable")
        assert notice.is_visible()
        assert "not available on this server" in notice.inner_text()
        assert "POST /v1/voices" in notice.inner_text()
        assert page.locator("#clone-form").is_hidden()
        shoot(page, "05-clone")
        problems.expect_none()
        return
    page.get_by_label("Name", exact=True).fill("Fox reader")
    page.get_by_label(re.compile("^Voice sample")).set_input_files(str(speech_wav))
    page.get_by_role("button", name="Clone voice").click()
    error = page.locator("#clone-error")
    error.wait_for(state="visible")  # consent is required, and said so
    assert "right to clone" in error.inner_text()
    page.get_by_label(re.compile("^I have the right")).check()
    page.get_by_role("button", name="Clone voice").click()
    page.locator("#clone-list li").wait_for(timeout=120_000)
    status = page.locator("#clone-status").inner_text()
    assert status.startswith("Cloned: Fox reader")
    shoot(page, "05-clone")

    page.get_by_role("link", name="Use in Speak").click()
    page.locator("#view-speak[data-ready]").wait_for(state="visible")
    voice_id = page.locator("#speak-voice").input_value()
    assert voice_id in status
    page.get_by_label("Text", exact=True).fill("A cloned voice reads this line.")
    page.get_by_role("button", name="Speak", exact=True).click()
    state = wait_playable(page, "#speak-output audio")
    assert state["duration"] > 0.5
    assert voice_id in page.locator("#speak-output .chips").inner_text()
    problems.expect_none()


def test_account_chart_and_keys(
    live: Any, page: Any, problems: Any, shoot: Any, sign_in: Any
) -> None:
    sign_in(page, live.base, live.key.key, "account")
    chart = page.locator("#usage-chart svg[role=img]")
    chart.wait_for()
    assert page.locator("#usage-chart rect.chart-bar").count() == 30
    assert page.locator("#usage-chart rect.chart-bar:not(.empty)").count() >= 1  # earlier tests
    label = page.locator("#usage-chart-svg-desc").text_content()
    assert "credits over" in label or "credit over" in label
    stats = page.locator("#account-stats").inner_text()
    assert "Paid" in stats
    assert "credits" in stats

    page.get_by_role("button", name="Show as table").click()
    assert page.locator("#usage-table table").is_visible()
    assert page.locator("#usage-table tbody tr").count() >= 1
    page.get_by_role("button", name="Show as chart").click()

    # Create: the secret is shown once, then it is only a hint in the list.
    page.get_by_label("New key's name").fill("playground test")
    page.get_by_role("button", name="Create key").click()
    shown = page.get_by_label("New API key")
    shown.wait_for()
    secret = shown.input_value()
    assert KEY_RE.match(secret)
    row = page.locator("#keys-body tr", has_text="playground test")
    row.wait_for()
    assert secret[-4:] in row.inner_text()
    assert secret not in page.locator("#keys-body").inner_text()
    r = httpx.get(f"{live.base}/v1/account", headers={"Authorization": f"Bearer {secret}"})
    assert r.status_code == 200
    shoot(page, "06-account")
    page.get_by_role("button", name="Done").click()
    assert shown.is_hidden()
    assert shown.input_value() == ""

    # Revoke through the confirmation dialog.
    row.get_by_role("button", name=re.compile("^Revoke playground test")).click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    assert "cannot be undone" in dialog.inner_text()
    dialog.get_by_role("button", name="Revoke key").click()
    page.locator("#keys-body tr.revoked", has_text="playground test").wait_for()
    r = httpx.get(f"{live.base}/v1/account", headers={"Authorization": f"Bearer {secret}"})
    assert r.status_code == 401
    problems.expect_none()


def test_keyboard_only(live: Any, page: Any, problems: Any) -> None:
    page.goto(live.base + "/")

    def tab_until(predicate: str, limit: int = 40) -> dict[str, Any]:
        for _ in range(limit):
            page.keyboard.press("Tab")
            info: dict[str, Any] = page.evaluate(
                """() => { const e = document.activeElement; const cs = getComputedStyle(e);
                return {id: e.id, tag: e.tagName, text: (e.innerText || '').trim(),
                  name: e.getAttribute('aria-label') || '', href: e.getAttribute('href') || '',
                  outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth),
                  shadow: cs.boxShadow, focusVisible: e.matches(':focus-visible')} }"""
            )
            if page.evaluate(f"(i => {predicate})", info):
                return info
        raise AssertionError(f"Tab never reached {predicate}")

    def visible_focus(info: dict[str, Any]) -> None:
        assert info["focusVisible"]
        assert (info["outline"] != "none" and info["width"] >= 2) or info["shadow"] != "none", info

    skip = tab_until("i.id === 'skip-link'", 3)
    visible_focus(skip)
    visible_focus(tab_until("i.id === 'signin-key'"))
    page.keyboard.type(live.key.key)
    page.keyboard.press("Enter")
    page.locator("#view-describe[data-ready]").wait_for(state="visible")

    # Signing in moved focus to the page's heading; every main control follows, by Tab alone.
    assert page.evaluate("document.activeElement.id") == "describe-title"
    for target in (
        "i.tag === 'INPUT' && i.id === ''",  # the image source radio group
        "i.id === 'describe-file'",
        "i.id === 'describe-voice'",
        "i.id === 'describe-language'",
        "i.id === 'describe-format'",
        "i.id === 'describe-submit'",
    ):
        visible_focus(tab_until(target))

    # From the top of a fresh load (still signed in): skip link, tabs, sign out.
    page.reload()
    page.locator("#view-describe[data-ready]").wait_for(state="visible")
    visible_focus(tab_until("i.id === 'skip-link'", 3))
    visible_focus(tab_until("i.href === '#/describe'"))
    visible_focus(tab_until("i.href === '#/account'"))
    page.keyboard.press("Enter")
    page.locator("#view-account[data-ready]").wait_for(state="visible")
    assert page.evaluate("document.activeElement.id") == "account-title"
    visible_focus(tab_until("i.id === 'usage-as-table'"))
    visible_focus(tab_until("i.id === 'key-name'"))
    visible_focus(tab_until("i.id === 'key-create'"))
    visible_focus(tab_until("i.name.startsWith('Revoke ')"))
    # The dialog traps focus and Escape cancels it.
    page.keyboard.press("Enter")
    page.get_by_role("dialog").wait_for()
    assert page.evaluate("document.activeElement.id") == "confirm-cancel"
    page.keyboard.press("Escape")
    page.get_by_role("dialog").wait_for(state="hidden")
    problems.expect_none()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_viewport(
    live: Any,
    make_page: Any,
    problems: Any,
    shoot: Any,
    sign_in: Any,
    open_view: Any,
    scheme: str,
) -> None:
    page = make_page(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        color_scheme=scheme,
    )
    sign_in(page, live.base, live.key.key)
    for view in ("describe", "speak", "transcribe", "account"):
        open_view(page, view)
        if view == "account":
            page.locator("#usage-chart svg").wait_for()
        if view == "speak":
            page.locator("#voices-list > li").first.wait_for()
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{view} scrolls sideways by {overflow}px on a phone"
        # The navigation stays reachable.
        assert page.locator(f"#nav a[href='#/{view}']").is_visible()
        shoot(page, f"07-phone-{scheme}-{view}")
    problems.expect_none()


def test_dark_mode_desktop(
    live: Any, make_page: Any, problems: Any, shoot: Any, sign_in: Any, open_view: Any, photo: Path
) -> None:
    page = make_page(color_scheme="dark")
    sign_in(page, live.base, live.key.key)
    bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert bg == "rgb(12, 12, 19)"
    open_view(page, "account")
    page.locator("#usage-chart svg").wait_for()
    shoot(page, "08-dark-account")
    open_view(page, "describe")
    page.locator("#describe-file").set_input_files(str(photo))
    page.get_by_role("button", name="Describe and speak").click()
    page.locator("#describe-output .description").wait_for(timeout=120_000)
    wait_playable(page, "#describe-output audio")
    shoot(page, "08-dark-describe")
    problems.expect_none()
