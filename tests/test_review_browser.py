"""`pdfforms review` end to end: the real server, the real page, headless Chromium.

A person's work is simulated with the keyboard only: type, Enter, Alt+S, Alt+O,
Alt+B, reloads, a server killed mid-way, two tabs at once. Each test ends by
reading the dataset the server wrote and comparing it with what was typed.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from pdfforms.model.messages import MESSAGES
from pdfforms.testing.synthetic import synthetic_answers
from tests.conftest import require_program

ROOT = Path(__file__).resolve().parent.parent
SCANS = 3
PDFFORMS = str(Path(sys.executable).with_name("pdfforms"))


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        message = "playwright is not installed (make test installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return sync_playwright


@pytest.fixture(scope="module")
def browser():
    chromium = require_program("chromium")
    with _playwright()() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def scans(tmp_path_factory, forms) -> Path:
    """Three scanned unit forms, read once: handwriting waiting for a person."""
    from pdfforms.testing.scans import make_scan, scanned_pdf

    folder = tmp_path_factory.mktemp("review") / "in"
    folder.mkdir()
    rng = random.Random(11)
    for n in range(SCANS):
        answers = synthetic_answers(forms["unit"], rng)
        pages = make_scan(forms["unit"], "sv", answers, f"U{n:09d}", rng)
        (folder / f"scan{n}.pdf").write_bytes(scanned_pdf(pages[0]))
    out = folder.parent / "made" / "d.csv"
    out.parent.mkdir()
    from pdfforms.dataset.extract import extract

    extract([str(folder)], out, progress=False, workers=2)
    _unsure_tick(out.with_name("d.journal.jsonl"))
    extract([str(folder)], out, progress=False, workers=2)  # nothing read again
    return folder.parent


def _unsure_tick(journal: Path) -> None:
    """Make the first scan's first question an uncertain tick, as the reader records one.

    The synthetic pen marks are clear enough that the reader is sure of every
    box; the page's choice input is exercised with an item written exactly as
    parse/scan.py writes an uncertain mark (the answer null, the box to review).
    """
    lines = journal.read_text("utf-8").splitlines(keepends=True)
    for n, line in enumerate(lines):
        entry = json.loads(line)
        if entry.get("t") == "file":
            obj = entry["responses"][0]
            crop = next(i["image"] for i in obj["review"] if i.get("image"))
            obj["answers"]["leva_livet"] = None
            obj["review"].insert(
                0,
                {
                    "question": "leva_livet",
                    "field": "leva_livet",
                    "option": "delvis",
                    "marked": [],
                    "reason": "uncertain_mark",
                    "seen": "ink_around_box",
                    "note": "ink around the box",
                    "page": 1,
                    "file_page": 1,
                    "confidence": 0.7,
                    "ink": 0.05,
                    "image": crop,
                },
            )
            lines[n] = json.dumps(entry, ensure_ascii=False) + "\n"
            break
    journal.write_text("".join(lines), "utf-8")


@pytest.fixture
def dataset(scans, tmp_path) -> Path:
    """A fresh copy of the dataset (with its journal and crops) for one test."""
    shutil.copytree(scans / "in", tmp_path / "in")
    shutil.copytree(scans / "made", tmp_path / "made")
    # the journal names the inputs by absolute path; the copy's own are found by hash
    journal = tmp_path / "made" / "d.journal.jsonl"
    journal.write_text(
        journal.read_text("utf-8").replace(str(scans / "in"), str(tmp_path / "in")), "utf-8"
    )
    crops = tmp_path / "made" / "review"
    journal.write_text(
        journal.read_text("utf-8").replace(str(scans / "made" / "review"), str(crops)), "utf-8"
    )
    return tmp_path / "made" / "d.csv"


class Server:
    def __init__(self, dataset: Path, *extra: str):
        self.proc = subprocess.Popen(
            # the page's tests are written for a Swedish reviewer, as its users are (the
            # page speaks the messages' language unless told: English in the tests)
            [PDFFORMS, "review", str(dataset), "--no-browser", "--lang", "sv", *extra],
            stderr=subprocess.PIPE,
            text=True,
            cwd=dataset.parent,
        )
        self.url = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            found = re.search(r"http://127\.0\.0\.1:\d+/\?t=\S+", line)
            if found:
                self.url = found.group(0)
                break
        assert self.url, f"the server printed no address (exit {self.proc.poll()})"
        self.base = self.url.split("/?")[0]

    def stop(self, sig=signal.SIGTERM) -> str:
        self.proc.send_signal(sig)
        rest = self.proc.stderr.read()
        assert self.proc.wait(timeout=60) == (0 if sig != signal.SIGKILL else -9), rest
        return rest


def _unit(page) -> dict:
    page.wait_for_function("() => !document.getElementById('item').hidden && unit !== null")
    return page.evaluate("unit")


def _wait_next(page, after: str) -> dict | None:
    """The item shown once the page has moved on from `after` (None: nothing left)."""
    page.wait_for_function(
        "(k) => (!document.getElementById('done').hidden) || (unit && unit.key !== k)", arg=after
    )
    return None if page.evaluate("unit === null") else page.evaluate("unit")


def _value_for(target: dict, n: int) -> tuple[object, str]:
    """(what the dataset should hold, what to type) for item number n."""
    kind, qtype = target["input"], target["type"]
    if kind in ("choice", "multiple"):
        return None, ""
    if qtype == "number":
        return str(10 + n), str(10 + n)
    if qtype == "date":
        return f"2026-11-{n + 1:02d}", f"{n + 1}/11 2026"
    if kind == "personnummer":
        return None, "19121212-1212"
    text = f"Svar {n}: åäö ÅÄÖ"
    return text, text


def _fill(page, unit: dict, n: int) -> dict:
    """Fill every target of the shown unit by keyboard; what the dataset should then hold."""
    expected = {}
    for target in unit["targets"]:
        box = page.locator(f'fieldset[data-name="{target["name"]}"]')
        if target["input"] in ("choice", "multiple"):
            if unit["seen"]:  # what the reader saw is said to the person, in Swedish
                shown = page.locator("#reason").inner_text()
                for kind in unit["seen"]:
                    assert MESSAGES[f"page.seen.{kind}"]["sv"] in shown, (kind, shown)
            if target["input"] == "choice" and not unit["decision"]:  # the machine's guess
                checked = box.locator("input:checked")
                if target["guess"]:
                    assert checked.get_attribute("value") == target["guess"]
                else:  # "nothing marked" is for a person to choose, never preselected
                    assert checked.count() == 0
            box.locator("input").first.focus()
            page.keyboard.press("1")
            chosen = box.locator("input:checked").evaluate_all("l => l.map(i => i.value)")
            if target["input"] == "choice":
                assert chosen == [target["options"][0]["value"]]
            expected[target["name"]] = ("options", chosen)
            continue
        want, typed = _value_for(target, n)
        field = box.locator("textarea, input")
        field.fill("")
        field.focus()
        if target["input"] == "textarea":
            first, second = typed.split(": ")
            page.keyboard.type(first + ":")
            page.keyboard.press("Shift+Enter")
            page.keyboard.type(second)
            want = f"{first}:\n{second}"
        else:
            page.keyboard.type(typed)
        expected[target["name"]] = ("value", want)
    return expected


def _save(page, unit: dict) -> dict | None:
    page.keyboard.press("Enter")
    return _wait_next(page, unit["key"])


def _idle(page) -> None:
    """The page has finished whatever a key started (a save in flight, the next item)."""
    page.wait_for_function("() => !busy")


def _still_on(page, dataset: Path, unit: dict) -> None:
    """Nothing was saved for `unit`, and the page still shows it."""
    _idle(page)
    assert page.evaluate("unit && unit.key") == unit["key"]
    assert unit["key"] not in {d["item"] for d in _decisions(dataset)}


def _to_text_item(page, unit: dict) -> dict:
    """Skip to the next item a person types (the made-up tick is a choice)."""
    while unit["targets"][0]["input"] not in ("text", "textarea"):
        page.keyboard.press("Alt+s")
        unit = _wait_next(page, unit["key"])
    return unit


def _person_looks(page, paused: bool = False) -> None:
    """As long as a person takes to look at a new item at the least (page.js SETTLE_MS).

    On a page whose clock the test has paused, that time passes at once.
    """
    settle = page.evaluate("SETTLE_MS") + 100
    if paused:
        page.clock.run_for(settle)
    else:
        page.wait_for_timeout(settle)


def _left(page) -> int:
    text = page.locator("#left").inner_text()
    return int(text.split()[0])


def _rows(dataset: Path) -> dict[str, dict]:
    with open(dataset, encoding="utf-8-sig", newline="") as fh:
        return {Path(r["file"]).name: r for r in csv.DictReader(fh)}


def _review_items(dataset: Path) -> set[tuple[str, str]]:
    with open(dataset.with_name("d.review.csv"), encoding="utf-8-sig", newline="") as fh:
        return {(Path(r["file"]).name, r["question"]) for r in csv.DictReader(fh)}


def _check(dataset: Path, typed: dict, unreadable: set, forms) -> None:
    """The dataset holds exactly what was typed, says which came from a person."""
    rows = _rows(dataset)
    form = forms["unit"]
    for key, values in typed.items():
        file_name = _file_of(dataset, key)
        row = rows[file_name]
        for name, (kind, want) in values.items():
            qid = name.split("__")[0]
            q = form.question(qid)
            assert qid in row["by_person"].split(), (key, row["by_person"])
            if q.type == "personnummer":
                assert "personnummer" not in row  # left out by default, typed or not
                continue
            if kind == "options" and q.type == "multiple":
                for option in q.choices:
                    cell = row[f"{qid}__{option.value}"]
                    assert cell == ("1" if option.value in want else "0"), (name, option, cell)
            elif kind == "options":
                expected = want[0] if want else ""
                if q.type == "yesno":
                    expected = {"yes": "1", "no": "0"}.get(expected, expected)
                assert row[name] == expected, (name, row[name], expected)
            else:
                assert row[name] == want, (name, row[name], want)
    for key, names in unreadable.items():
        row = rows[_file_of(dataset, key)]
        for name in names:
            assert row.get(name, "") == "", (name, row[name])  # absent: option columns
            assert name.split("__")[0] in row["by_person"].split()


_FILES: dict[str, str] = {}


def _file_of(dataset: Path, key: str) -> str:
    """The file an item belongs to (items are named by the file's SHA-256)."""
    if not _FILES:
        for path in (dataset.parent.parent / "in").iterdir():
            _FILES[hashlib.sha256(path.read_bytes()).hexdigest()] = path.name
    return _FILES[key.split(":")[0]]


def _decisions(dataset: Path) -> list[dict]:
    path = dataset.with_name("d.decisions.jsonl")
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def _open(browser, dataset: Path):
    """A server on a copy of the dataset, a page on it: (server, page, first unit, items left)."""
    _FILES.clear()
    server = Server(dataset)
    page = browser.new_context().new_page()
    page.goto(server.url)
    unit = _unit(page)
    return server, page, unit, _left(page)


# -- the tests ---------------------------------------------------------------------------------


def test_keyboard_review_refresh_skip_back_unreadable(browser, dataset, forms, tmp_path):
    server, page, unit, total = _open(browser, dataset)
    assert total >= 5, "the synthetic scans should leave at least five items"
    # the crop is loaded and drawn (a whole page's crop may take a moment under load;
    # a broken image is complete with naturalWidth 0 and fails here after the wait)
    page.wait_for_function(
        "() => { const i = document.querySelector('#images img'); return i && i.complete; }"
    )
    assert page.locator("#images img").first.evaluate("i => i.naturalWidth") > 0

    typed: dict[str, dict] = {}
    unreadable: dict[str, list] = {}
    # 1: type and save
    typed[unit["key"]] = _fill(page, unit, 0)
    unit = _save(page, unit)
    assert _left(page) == total - 1
    # 2: type, reload before saving: the same item comes back; then save
    kept = unit["key"]
    _fill(page, unit, 99)
    page.reload()
    unit = _unit(page)
    assert unit["key"] == kept
    typed[unit["key"]] = _fill(page, unit, 1)
    unit = _save(page, unit)
    # 3: skip it: it must come back last
    skipped = unit["key"]
    page.keyboard.press("Alt+s")
    unit = _wait_next(page, skipped)
    # 4: unreadable (once the person has looked: a decision right away is a key pressed twice)
    gone = unit
    _person_looks(page)
    page.keyboard.press("Alt+o")
    unit = _wait_next(page, gone["key"])
    assert _left(page) == total - 3
    # back to 4: it shows the decision; change it to a typed value
    current = unit["key"]
    page.keyboard.press("Alt+b")
    back = _wait_next(page, current)
    assert back["key"] == gone["key"] and back["decision"]["status"] == "unreadable"
    typed[back["key"]] = _fill(page, back, 3)
    unit = _save(page, back)
    assert _left(page) == total - 3  # a changed decision is not a new item
    # the rest, keeping one unreadable; the skipped one comes last
    order = []
    n = 4
    while unit is not None:
        order.append(unit["key"])
        if unit["key"] != skipped and not unreadable:
            unreadable[unit["key"]] = [t["name"] for t in unit["targets"]]
            key = unit["key"]
            _person_looks(page)
            page.keyboard.press("Alt+o")
            unit = _wait_next(page, key)
            continue
        typed[unit["key"]] = _fill(page, unit, n)
        n += 1
        unit = _save(page, unit)
    assert order[-1] == skipped
    assert page.locator("#done").is_visible() and _left(page) == 0
    page.screenshot(path=str(tmp_path / "done.png"))
    out = server.stop(signal.SIGINT)
    assert "item(s) left" in out
    _check(dataset, typed, unreadable, forms)
    assert _review_items(dataset) == set()
    decided = {d["item"] for d in _decisions(dataset)}
    assert decided == set(typed) | set(unreadable)


def test_a_killed_server_loses_nothing(browser, dataset, forms):
    server, page, unit, total = _open(browser, dataset)
    typed = {}
    for n in range(3):
        typed[unit["key"]] = _fill(page, unit, n)
        unit = _save(page, unit)
    server.stop(signal.SIGKILL)
    # the page says the server is gone, and keeps what was typed
    _fill(page, unit, 50)
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.getElementById('message').hidden")
    assert "svarar inte" in page.locator("#message").inner_text()

    server = Server(dataset)  # a new address and secret
    page = browser.new_context().new_page()
    page.goto(server.url)
    unit = _unit(page)
    assert _left(page) == total - 3
    assert unit["key"] not in typed
    n = 3
    while unit is not None:
        typed[unit["key"]] = _fill(page, unit, n)
        n += 1
        unit = _save(page, unit)
    server.stop()
    _check(dataset, typed, {}, forms)
    decisions = _decisions(dataset)
    assert len(decisions) == len(typed) == total  # none lost, none twice


def test_two_tabs_never_share_an_item_nor_overwrite(browser, dataset, forms):
    _FILES.clear()
    server = Server(dataset)
    context = browser.new_context()
    a, b = context.new_page(), context.new_page()
    a.goto(server.url)
    unit_a = _unit(a)
    b.goto(server.base + "/")  # the second tab has the cookie of the first
    unit_b = _unit(b)
    assert unit_a["key"] != unit_b["key"]
    typed = {}
    # a saves; b is still on its item; a goes on to a third item
    typed[unit_a["key"]] = _fill(a, unit_a, 0)
    first_a = unit_a["key"]
    unit_a = _save(a, unit_a)
    assert unit_a is not None and unit_a["key"] != unit_b["key"]
    # b saves, then tries to go back to the item a now has open: refused
    typed[unit_b["key"]] = _fill(b, unit_b, 1)
    first_b = unit_b["key"]
    unit_b = _save(b, unit_b)
    assert unit_b["key"] != unit_a["key"]
    # b goes back to its own saved item: allowed, shows b's value
    b.keyboard.press("Alt+b")
    back = _wait_next(b, unit_b["key"])
    assert back["key"] == first_b and back["decision"]["by"]
    # a goes back to its own first item, which b does not hold: allowed
    a.keyboard.press("Alt+b")
    again = _wait_next(a, unit_a["key"])
    assert again["key"] == first_a
    # b (on first_b) asks for first_a held by a: refused by the server
    answer = b.evaluate(
        "(k) => fetch('/api/claim', {method: 'POST', headers: {'Content-Type': "
        "'application/json'}, body: JSON.stringify({tab, key: k})}).then(r => r.status)",
        first_a,
    )
    assert answer == 409
    # both resave their own items, then work through the rest interleaved
    _person_looks(a)
    unit_a = _save(a, again)
    _person_looks(b)
    unit_b = _save(b, back)
    n = 2
    while unit_a is not None or unit_b is not None:
        for page, name in ((a, "a"), (b, "b")):
            unit = unit_a if name == "a" else unit_b
            if unit is None:
                continue
            other = unit_b if name == "a" else unit_a
            assert other is None or other["key"] != unit["key"], "two tabs got the same item"
            typed[unit["key"]] = _fill(page, unit, n)
            n += 1
            unit = _save(page, unit)
            if name == "a":
                unit_a = unit
            else:
                unit_b = unit
    server.stop()
    _check(dataset, typed, {}, forms)
    decisions = _decisions(dataset)
    latest = {}
    for d in decisions:
        latest[d["item"]] = d
    assert set(latest) == set(typed)
    # a re-save replaced its own decision, never the other tab's
    for d in decisions:
        if d["replaces"]:
            replaced = next(x for x in decisions if x["id"] == d["replaces"])
            assert replaced["tab"] == d["tab"] or replaced["by"] == d["by"]


def test_only_the_holder_of_the_secret_gets_in(dataset):
    server = Server(dataset)
    try:
        for request in (
            urllib.request.Request(server.base + "/api/state"),
            urllib.request.Request(server.base + "/?t=wrong"),
            urllib.request.Request(server.base + "/", headers={"Host": "evil.example:80"}),
        ):
            with pytest.raises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(request, timeout=10)
            assert caught.value.code in (403, 421)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        opener.open(server.url, timeout=10)  # the secret, traded for a cookie
        assert json.load(opener.open(server.base + "/api/state", timeout=10))["total"] > 0
        form_post = urllib.request.Request(
            server.base + "/api/next",
            data=b"tab=x",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        with pytest.raises(urllib.error.HTTPError) as caught:
            opener.open(form_post, timeout=10)
        assert caught.value.code == 415
    finally:
        server.stop()


def test_screenshot_of_a_real_crop(browser, dataset):
    server = Server(dataset)
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(server.url)
    unit = _unit(page)
    if unit["reason"] != "handwriting":  # the made-up tick above has a borrowed crop
        page.keyboard.press("Alt+s")
        unit = _wait_next(page, unit["key"])
    assert unit["reason"] == "handwriting"
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth)")
    out = ROOT / "output" / "review-screenshot.png"
    out.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(out), full_page=True)
    assert out.stat().st_size > 10_000
    page.close()
    server.stop()


# -- an empty answer is a deliberate act (issue 13 item 7) ---------------------------------------


def test_a_double_or_held_enter_never_saves_an_empty_transcription(browser, dataset, forms):
    _FILES.clear()
    server = Server(dataset)
    page = browser.new_context().new_page()
    page.clock.install()  # the test, not the machine's load, says when time passes
    page.goto(server.url)
    first = _to_text_item(page, _unit(page))
    typed = {first["key"]: _fill(page, first, 0)}

    def required(unit: dict) -> bool:
        return forms["unit"].question(unit["targets"][0]["question"]).required

    # From here the page's clock stands still unless a person "looks" (_person_looks):
    # the second press of a double press arrives at once, however busy the machine.
    page.clock.pause_at(page.evaluate("Date.now()") + 1)
    # a quick double Enter: the second arrives as the next item is shown
    page.keyboard.press("Enter")
    second = _wait_next(page, first["key"])
    _idle(page)  # not merely ignored as "busy": the page is ready for the next item
    page.keyboard.press("Enter")
    _still_on(page, dataset, second)
    # once a person could have looked, Enter on an empty text box still saves nothing
    _person_looks(page, paused=True)
    page.keyboard.press("Enter")
    _still_on(page, dataset, second)
    message = page.locator("#message").inner_text()
    assert "Alt+T" in message and "tom" in message, message
    # the deliberate way: Alt+T, "nothing written"
    page.keyboard.press("Alt+t")
    third = _wait_next(page, second["key"])
    assert not required(third)  # else the server's "required" check would refuse it anyway
    # and a double Alt+T is no more a decision than a double Enter
    _idle(page)
    page.keyboard.press("Alt+t")
    _still_on(page, dataset, third)
    # Enter held down: its repeats reach the next item too, and never save it
    typed[third["key"]] = _fill(page, third, 2)
    page.keyboard.down("Enter")
    fourth = _wait_next(page, third["key"])
    _person_looks(page, paused=True)
    page.keyboard.down("Enter")  # a repeat (event.repeat), as a held key sends
    _still_on(page, dataset, fourth)
    typed[fourth["key"]] = _fill(page, fourth, 3)  # valid for its type: only Enter stops it
    page.keyboard.down("Enter")  # still held: a repeat saves nothing, typed or not
    page.keyboard.up("Enter")
    _still_on(page, dataset, fourth)
    page.keyboard.press("Enter")  # pressed again, it saves
    _wait_next(page, fourth["key"])
    _idle(page)

    decisions = {d["item"]: d for d in _decisions(dataset)}
    assert set(decisions) == set(typed) | {second["key"]}
    assert all(decisions[k]["value"] for k in typed)
    assert (decisions[second["key"]]["status"], decisions[second["key"]]["value"]) == (
        "transcribed",
        None,
    )
    server.stop()
    _check(dataset, typed, {}, forms)
    blank = second["targets"][0]["question"]
    row = _rows(dataset)[_file_of(dataset, second["key"])]
    assert row[blank] == "" and blank in row["by_person"].split()


# -- a form in a right-to-left language (issue 15) ------------------------------------------------


@pytest.fixture(scope="module")
def arabic_dataset(tmp_path_factory, forms) -> Path:
    """One scanned patient form in Arabic, read: its handwriting waits for a person."""
    from pdfforms.dataset.extract import extract
    from pdfforms.testing.scans import make_scan, scanned_pdf

    folder = tmp_path_factory.mktemp("review-ar") / "in"
    folder.mkdir()
    rng = random.Random(5)
    answers = synthetic_answers(forms["patient"], rng)
    pages = make_scan(forms["patient"], "ar", answers, "A00000001", rng)
    (folder / "scan.pdf").write_bytes(scanned_pdf(pages[0]))
    out = folder.parent / "made" / "d.csv"
    out.parent.mkdir()
    extract([str(folder)], out, progress=False, workers=1)
    return out


def test_an_arabic_form_reads_right_to_left_and_typing_keeps_its_own_direction(
    browser, arabic_dataset, forms
):
    """The question and its options are in the form's language, right to left; what a
    person types takes the direction of its own letters (a Swedish name left to
    right); the reviewer's own words stay in the reviewer's language."""
    server = Server(arabic_dataset)
    page = browser.new_context().new_page()
    try:
        page.goto(server.url)
        unit = _unit(page)
        while not any(t["input"] in ("text", "textarea") for t in unit["targets"]):
            page.keyboard.press("Alt+s")  # on to a written answer
            unit = _wait_next(page, unit["key"])
        assert unit["form"]["language"] == "ar"
        legend = page.locator("#targets fieldset legend").first
        assert legend.evaluate("e => e.closest('fieldset').lang") == "ar"
        assert legend.evaluate("e => getComputedStyle(e).direction") == "rtl"
        field = page.locator("#targets textarea, #targets input[type=text]").first
        field.fill("نعم")
        assert field.evaluate("e => e.matches(':dir(rtl)')")
        field.fill("Åsa Berg")
        assert field.evaluate("e => e.matches(':dir(ltr)')")
        assert page.evaluate("document.documentElement.lang") == "sv"
    finally:
        page.close()
        server.stop()
