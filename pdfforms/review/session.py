"""The review queue of one dataset: its units, who has which open, and saving decisions.

Everything here is in memory but the decisions, which go to the log as they are
made. Each browser tab holds a *lease* on the unit it shows, renewed while the
tab is open; no other tab is handed a leased unit, so two people never work on
one item at once. A lease dies with its tab (or after LEASE_SECONDS without a
sign of life), and all leases die with the server: they need no saving.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..dataset.build import kept_questionnaires, rebuild
from ..dataset.decisions import Decision, DecisionLog, LogError, check_decision, personnummer_answer
from ..dataset.items import DecisionItem, Target, decision_items, guess
from ..dataset.journal import ExtractError, Journal
from ..dataset.reader import DatasetError, read_manifest
from ..dataset.tables import DatasetFiles, OutputError
from ..model.errors import PdfformsError
from ..model.form import Form, tr
from ..model.messages import text as msg
from ..model.privacy import Privacy

LEASE_SECONDS = 120.0  # a tab renews every 30 s; a lease this old belongs to a closed tab
HANDOVER_SECONDS = 15.0  # a reloaded tab takes back its unit within this time
REBUILD_DELAY = 2.0  # the dataset is written again this long after the last decision
MAX_TEXT = 10_000


class ReviewError(PdfformsError):
    """The dataset cannot be reviewed (no manifest, no journal, a key is missing)."""


class Refused(Exception):
    """A request the page made that cannot be granted; `status` is the HTTP status."""

    def __init__(self, status: int, message: str, **extra):
        super().__init__(message)
        self.status = status
        self.extra = extra


@dataclass
class Entry:
    """One unit in the queue, with what is needed to show it."""

    unit: DecisionItem
    obj: dict  # the questionnaire as read (no decisions applied)
    number: int  # questionnaire in its file
    form: Form
    shown: str  # the file as the user named it


@dataclass
class Lease:
    tab: str
    until: float
    leaving: float = 0.0  # when the tab said it is going (a reload): handed to its successor


class ReviewSession:
    def __init__(self, dataset: Path, privacy: Privacy | None = None, reviewer: str = ""):
        self.dataset = dataset
        self.files = DatasetFiles(dataset)
        manifest_path = self.files.sidecar("manifest.json")
        if not manifest_path.exists():
            raise ReviewError(msg("review.no_manifest", path=dataset, name=manifest_path.name))
        try:
            self.manifest = read_manifest(manifest_path)
        except DatasetError as exc:
            raise ReviewError(str(exc)) from None
        mode = self.manifest.personnummer or "drop"
        if privacy is None or privacy.mode != mode:
            if mode == "pseudonymise":
                raise ReviewError(msg("review.needs_key", path=dataset))
            privacy = Privacy(mode)
        if mode == "pseudonymise" and privacy.key_id != self.manifest.key:
            raise ReviewError(
                msg("review.wrong_key", path=dataset, given=privacy.key_id, made=self.manifest.key)
            )
        self.privacy = privacy
        self.reviewer = reviewer
        self.lock = threading.RLock()
        self.log = DecisionLog(self.files.sidecar("decisions.jsonl"))
        self.entries: list[Entry] = []
        self.by_key: dict[str, int] = {}
        self._load()
        self.leases: dict[str, Lease] = {}
        self.skipped: dict[str, list[str]] = {}
        self.saved_this_session = 0
        # writing the dataset again, in the background
        self.rebuilt_at: float | None = None
        self.rebuild_error = ""
        self._dirty_since: float | None = None
        self._wake = threading.Condition()
        self._stop = False
        manifest_time = manifest_path.stat().st_mtime
        if self.log.path.exists() and self.log.path.stat().st_mtime > manifest_time:
            self._dirty_since = 0.0  # decisions the dataset does not hold yet (a killed server)
        self._writer = threading.Thread(target=self._write_loop, name="rebuild", daemon=True)

    # -- loading ----------------------------------------------------------------------------

    def _load(self) -> None:
        try:
            journal = Journal.reading(self.files.sidecar("journal.jsonl"))
        except ExtractError as exc:
            raise ReviewError(str(exc)) from None
        if journal.run is None:
            raise ReviewError(msg("review.no_run", path=journal.path))
        items, _missing = journal.inputs()
        for item, number, obj in kept_questionnaires(journal, items):
            if not obj.get("review"):
                continue
            form = journal.form(obj["form"]["id"], obj["form"]["version"])
            if form is None:
                continue
            for unit in decision_items(obj, number, form):
                self.by_key[unit.key] = len(self.entries)
                self.entries.append(Entry(unit, obj, number, form, item.shown))

    # -- the queue --------------------------------------------------------------------------

    def is_open(self, key: str) -> bool:
        return self.log.current(key) is None

    def counts(self) -> dict:
        left = sum(1 for e in self.entries if self.is_open(e.unit.key))
        return {"total": len(self.entries), "left": left, "done": len(self.entries) - left}

    def _expire(self, now: float) -> None:
        for key, lease in list(self.leases.items()):
            if lease.until < now or (lease.leaving and now - lease.leaving > HANDOVER_SECONDS):
                del self.leases[key]

    def _holder(self, key: str, now: float) -> str | None:
        lease = self.leases.get(key)
        return lease.tab if lease and lease.until >= now else None

    def _release_tab(self, tab: str) -> None:
        for key in [k for k, lease in self.leases.items() if lease.tab == tab]:
            del self.leases[key]

    def _take(self, tab: str, key: str, now: float) -> None:
        self._release_tab(tab)
        self.leases[key] = Lease(tab, now + LEASE_SECONDS)

    def next(self, tab: str, previous: str = "", skip: str = "") -> dict:
        """The unit this tab should show: the one it holds, else the first free open one."""
        with self.lock:
            now = time.monotonic()
            self._expire(now)
            if previous and previous != tab:  # a reload: take over what the old page held
                for lease in self.leases.values():
                    if lease.tab == previous and lease.leaving:
                        lease.tab, lease.leaving, lease.until = tab, 0.0, now + LEASE_SECONDS
                alive = any(v.tab == previous and not v.leaving for v in self.leases.values())
                if previous in self.skipped and not alive:
                    self.skipped[tab] = self.skipped.pop(previous)
            if skip:
                self.skipped.setdefault(tab, [])
                if skip in self.skipped[tab]:
                    self.skipped[tab].remove(skip)
                self.skipped[tab].append(skip)
                if self._holder(skip, now) == tab:
                    del self.leases[skip]
            else:
                for key, lease in self.leases.items():
                    if lease.tab == tab and self.is_open(key):
                        lease.until = now + LEASE_SECONDS
                        return self.show(key)
            skipped = self.skipped.get(tab, [])
            free = [
                e.unit.key
                for e in self.entries
                if self.is_open(e.unit.key) and self._holder(e.unit.key, now) in (None, tab)
            ]
            fresh = [k for k in free if k not in skipped]
            later = [k for k in skipped if k in free and k != skip]
            if skip and skip in free:
                later.append(skip)  # the one just skipped comes back last
            choice = (fresh or later or [None])[0]
            if choice is None:
                self._release_tab(tab)
                counts = self.counts()
                return {"unit": None, **counts, "elsewhere": counts["left"]}
            self._take(tab, choice, now)
            return self.show(choice)

    def claim(self, tab: str, key: str) -> dict:
        """A unit the tab asks for by name (going back): refused while another tab has it."""
        with self.lock:
            if key not in self.by_key:
                raise Refused(404, msg("review.no_item"))
            now = time.monotonic()
            self._expire(now)
            holder = self._holder(key, now)
            if holder not in (None, tab):
                raise Refused(409, msg("review.leased"), reason="leased")
            self._take(tab, key, now)
            return self.show(key)

    def heartbeat(self, tab: str) -> None:
        with self.lock:
            now = time.monotonic()
            for lease in self.leases.values():
                if lease.tab == tab:
                    lease.until = now + LEASE_SECONDS
                    lease.leaving = 0.0

    def leaving(self, tab: str) -> None:
        """The tab is unloading: a reload takes its unit back, a closed tab frees it soon."""
        with self.lock:
            now = time.monotonic()
            for lease in self.leases.values():
                if lease.tab == tab:
                    lease.leaving = now

    # -- showing ----------------------------------------------------------------------------

    def show(self, key: str) -> dict:
        entry = self.entries[self.by_key[key]]
        unit, obj, form = entry.unit, entry.obj, entry.form
        lang = obj["form"].get("language") or form.default_language
        decision = self.log.current(key)
        images = []
        for n, item in enumerate(unit.items):
            if not item.image:
                continue
            caption = ""
            if item.option is not None:
                target = unit.targets[0]
                caption = next(
                    (_label(o, lang, target) for o in target.options() if o.value == item.option),
                    item.option,
                )
            images.append({"url": f"/image/{self.by_key[key]}/{n}", "caption": caption})
        return {
            "unit": {
                "key": key,
                "position": self.by_key[key] + 1,
                "form": {
                    "id": form.id,
                    "version": form.version,
                    "language": lang,
                    "title": tr(form.title, lang),
                },
                "file": entry.shown,
                "questionnaire": entry.number,
                "serial": obj.get("serial"),
                "page": unit.page,
                "reason": unit.reason,
                # what the scan reader saw at an uncertain mark (faint ink, a ring, …)
                "seen": list(dict.fromkeys(i.seen for i in unit.items if i.seen)),
                "whole_page": unit.whole_page,
                "images": images,
                "targets": [_target_json(obj, unit, t, lang) for t in unit.targets],
                "decision": _decision_json(decision),
            },
            **self.counts(),
        }

    def image(self, index: int, n: int) -> Path:
        try:
            item = self.entries[index].unit.items[n]
        except IndexError:
            raise Refused(404, msg("review.no_image")) from None
        path = Path(item.image or "")
        if not path.is_absolute():
            path = self.dataset.parent / path
        if path.suffix != ".png" or not path.is_file():
            raise Refused(404, msg("review.crop_gone"))
        return path

    # -- deciding ---------------------------------------------------------------------------

    def decide(self, tab: str, body: dict) -> dict:
        key = str(body.get("key") or "")
        status = body.get("status")
        if key not in self.by_key:
            raise Refused(404, msg("review.no_item"))
        if status not in ("transcribed", "unreadable"):
            raise Refused(400, msg("review.bad_status"))
        by = " ".join(str(body.get("by") or self.reviewer).split())[:80] or self.reviewer
        entry = self.entries[self.by_key[key]]
        with self.lock:
            now = time.monotonic()
            self._expire(now)
            holder = self._holder(key, now)
            if holder not in (None, tab):
                raise Refused(409, msg("review.leased"), reason="leased")
            value = None
            if status == "transcribed":
                if _blank(body.get("value")) and body.get("empty") is not True:
                    # What a key pressed once too often sends: never saved unless the
                    # person said there is nothing (the page's Alt+T, 0 on options).
                    raise Refused(422, msg("review.nothing_given"), reason="empty")
                value = self._value(entry, body.get("value"))
            base = body.get("base") or None
            trial = Decision("trial", key, status, value, by, "")
            if status == "transcribed" and not body.get("force"):
                problems = check_decision(
                    entry.obj,
                    entry.number,
                    entry.form,
                    entry.unit,
                    trial,
                    self.log.latest,
                    self.privacy,
                )
                errors = [p["message"] for p in problems if p.get("severity") == "error"]
                if errors:
                    raise Refused(422, "; ".join(errors), reason="invalid", problems=errors)
            try:
                decision, first = self.log.add(key, status, value, by, tab, base)
            except LogError as exc:
                raise Refused(500, str(exc)) from None
            if decision is None:
                raise Refused(
                    409,
                    msg("review.decided_first"),
                    reason="decided",
                    decision=_decision_json(first),
                )
            self.saved_this_session += 1
            if self._holder(key, now) == tab:
                del self.leases[key]
            for skips in self.skipped.values():
                if key in skips:
                    skips.remove(key)
        self.schedule_rebuild()
        return {"saved": _decision_json(decision), **self.counts()}

    def _value(self, entry: Entry, raw):
        unit = entry.unit
        if unit.whole_page:
            if not isinstance(raw, dict):
                raise Refused(400, msg("review.page_value"))
            return {t.name: self._one(t, raw.get(t.name)) for t in unit.targets}
        return self._one(unit.targets[0], raw)

    def _one(self, target: Target, raw):
        """A value from the page, checked against the target, as the log may hold it."""
        if target.input == "multiple":
            if raw is None:
                return []
            if not isinstance(raw, list):
                raise Refused(400, msg("review.list_expected", name=target.name))
            allowed = [o.value for o in target.options()]
            unknown = [v for v in raw if v not in allowed]
            if unknown:
                raise Refused(400, msg("review.not_options", name=target.name, values=unknown))
            return [v for v in allowed if v in raw]
        if raw is None or raw == "":
            return None
        if not isinstance(raw, str):
            raise Refused(400, msg("review.text_expected", name=target.name))
        if target.input == "choice":
            if raw not in [o.value for o in target.options()]:
                raise Refused(400, msg("review.not_option", name=target.name, value=repr(raw)))
            return raw
        if len(raw) > MAX_TEXT:
            raise Refused(400, msg("review.too_long", name=target.name, max=MAX_TEXT))
        if target.input == "personnummer":
            answer, error = personnummer_answer(raw, self.privacy)
            if error:
                raise Refused(422, error, reason="invalid", problems=[error])
            return answer  # as the dataset may hold it: pseudonym, the number, or nothing
        return self.privacy.text(raw.replace("\r\n", "\n"))

    # -- writing the dataset again ----------------------------------------------------------

    def start(self) -> None:
        self._writer.start()

    def schedule_rebuild(self) -> None:
        with self._wake:
            if self._dirty_since is None:
                self._dirty_since = time.monotonic()
            self._wake.notify()

    def _write_loop(self) -> None:
        while True:
            with self._wake:
                while not self._stop and self._dirty_since is None:
                    self._wake.wait()
                if self._stop:
                    return
                self._wake.wait(REBUILD_DELAY)
                if self._stop:
                    return
                self._dirty_since = None
            self.write_dataset()

    def write_dataset(self) -> None:
        try:
            rebuild(self.dataset, self.privacy)
        except (ExtractError, OutputError, OSError) as exc:
            self.rebuild_error = str(exc)
            with self._wake:
                self._dirty_since = self._dirty_since or time.monotonic()  # try again later
            return
        self.rebuild_error = ""
        self.rebuilt_at = time.time()

    def stop(self) -> bool:
        """Stop writing in the background; True when decisions still need writing."""
        with self._wake:
            self._stop = True
            self._wake.notify()
            dirty = self._dirty_since is not None
        if self._writer.is_alive():
            self._writer.join()
        return dirty


def _blank(raw) -> bool:
    """A value from the page that holds no answer: no text, no option, nothing on a page."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list):
        return not raw
    if isinstance(raw, dict):
        return all(_blank(v) for v in raw.values())
    return False


def _label(option, lang: str, target: Target) -> str:
    text = tr(option.label, lang) if option.label else ""
    if not text and target.question.type == "scale":
        q = target.question
        ends = {str(q.min): tr(q.min_label, lang), str(q.max): tr(q.max_label, lang)}
        return f"{option.value} – {ends[option.value]}" if ends.get(option.value) else option.value
    return text or option.value


def _target_json(obj: dict, unit: DecisionItem, target: Target, lang: str) -> dict:
    q = target.question
    label = tr(q.label, lang)
    if target.other:
        label = f"{label} – {tr(q.other, lang)}"
    return {
        "name": target.name,
        "question": q.id,
        "number": q.number,
        "type": q.type,
        "input": target.input,
        "label": label,
        "row": tr(target.row.label, lang) if target.row is not None else None,
        "help": tr(q.help, lang) or None,
        "options": [{"value": o.value, "label": _label(o, lang, target)} for o in target.options()],
        "guess": guess(obj, unit, target),
        # the recogniser's reading of digits in comb cells, to compare with the image
        "suggestion": next(
            (
                {"text": i.suggestion, "problem": i.suggestion_problem}
                for i in unit.items
                if i.field == target.name and i.suggestion is not None
            ),
            None,
        ),
    }


def _decision_json(decision: Decision | None) -> dict | None:
    if decision is None:
        return None
    return {
        "id": decision.id,
        "status": decision.status,
        "value": decision.value,
        "by": decision.by,
        "at": decision.at,
    }
