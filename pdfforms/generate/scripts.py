"""Form scripts: a viewer that runs them tells a person, while filling, that what they
typed will not read back as an answer (issue 15).

Each date, number and personnummer field gets a Validate action (/AA /V), run when the
person leaves the field: when the text is not one the readers accept (parse/interpret.py
through model/coerce.py and model/personnummer.py), an alert says so in the form's
language. The script never changes the value (event.rc stays true, no Format or
Keystroke action rewrites it): the value is kept exactly as typed and read back as
always, and a viewer without scripts (or with them off) ignores them. The scripts are
never needed for reading back.

The rules are the readers' own, written in JavaScript: the regular expressions are
made from coerce.py's compiled patterns, and the whitespace and dash sets from the
same Python definitions, so the two cannot drift apart unnoticed; a test runs a table
of inputs through both (tests/test_guidance.py), and one through pdf.js's own sandbox.
"""

from __future__ import annotations

import json
import re
from functools import cache

from ..model import coerce, fonts, personnummer
from ..model.form import Question
from ..model.layout import Widget, width_of, wrap_measured
from .overlay import LEADING, PADDING


@cache
def _whitespace() -> str:
    """What Python's str.split() and str.isspace() call whitespace (coerce.py collapses
    runs of it, personnummer.py skips it): JavaScript's \\s is another set. Worked out
    when a form with scripts is drawn, not on import: it walks all of Unicode (50 ms),
    and a reader draws blank forms without scripts."""
    return "".join(chr(c) for c in range(0x110000) if chr(c).isspace())


_COERCE_DASHES = coerce.DASHES
_PNR_DASHES = personnummer.DASHES


def _char_class(chars: str) -> str:
    return "[" + "".join(f"\\u{ord(c):04x}" for c in chars) + "]"


def _js_regex(pattern: re.Pattern) -> str:
    """A JavaScript pattern that matches a whole string as `pattern.fullmatch` does:
    `{re: RegExp, g: {group name: group number}}`.

    coerce.py's patterns use re.ASCII, under which \\d is [0-9] (as in JavaScript)
    and \\s is [ \\t\\n\\r\\f\\v] (JavaScript's \\s is wider); IGNORECASE on ASCII
    month names is JavaScript's "i". Named groups become numbered ones (the same
    numbers, counted left to right in both): older engines, such as Acrobat's, know
    no named groups.
    """
    assert pattern.flags & re.ASCII, pattern.pattern
    source = re.sub(r"\(\?P<\w+>", "(", pattern.pattern).replace("\\s", "[ \\t\\n\\r\\f\\v]")
    flags = "i" if pattern.flags & re.IGNORECASE else ""
    regex = f"new RegExp({json.dumps('^(?:' + source + ')$')}, {json.dumps(flags)})"
    return f"{{re: {regex}, g: {json.dumps(dict(pattern.groupindex), sort_keys=True)}}}"


MESSAGES = {
    "sv": {
        "date": "Det här ser inte ut som ett datum. Skriv det som ÅÅÅÅ-MM-DD, "
        "till exempel 2024-03-05.",
        "date_min": "Datumet får inte vara före {min}.",
        "date_max": "Datumet får inte vara efter {max}.",
        "number": "Skriv ett tal, till exempel 12 eller 12,5 (utan ”ca” och utan intervall).",
        "whole": "Skriv ett heltal, utan decimaler.",
        "decimals": "Skriv högst {n} decimaler.",
        "number_min": "Talet får inte vara mindre än {min}.",
        "number_max": "Talet får inte vara större än {max}.",
        "personnummer": "Det här är inget giltigt personnummer. Skriv det som "
        "ÅÅÅÅMMDD-NNNN och kontrollera siffrorna.",
        "kept": "Svaret sparas som du skrev det.",
        "overflow": "Svaret får inte plats i rutan när formuläret skrivs ut. "
        "Korta det gärna, eller berätta resten för oss när du kommer.",
    },
    "en": {
        "date": "This does not look like a date. Write it as YYYY-MM-DD, for example 2024-03-05.",
        "date_min": "The date must not be before {min}.",
        "date_max": "The date must not be after {max}.",
        "number": "Write a number, for example 12 or 12.5 (no “about”, no ranges).",
        "whole": "Write a whole number, without decimals.",
        "decimals": "Write at most {n} decimals.",
        "number_min": "The number must not be less than {min}.",
        "number_max": "The number must not be more than {max}.",
        "personnummer": "This is not a valid personal identity number. Write it as "
        "YYYYMMDD-NNNN and check the digits.",
        "kept": "Your answer is kept as you typed it.",
        "overflow": "Your answer will not fit in the box when the form is printed. "
        "Please shorten it, or tell us the rest when you come.",
    },
    # fi, se, uk and ar: machine-made like the patient form's texts in them, to be
    # checked by a qualified translator (README, "Languages").
    "fi": {
        "date": "Tämä ei näytä päivämäärältä. Kirjoita se muodossa VVVV-KK-PP, "
        "esimerkiksi 2024-03-05.",
        "date_min": "Päivämäärä ei voi olla ennen {min}.",
        "date_max": "Päivämäärä ei voi olla jälkeen {max}.",
        "number": "Kirjoita luku, esimerkiksi 12 tai 12,5 (ilman ”noin” ja ilman väliä).",
        "whole": "Kirjoita kokonaisluku ilman desimaaleja.",
        "decimals": "Kirjoita enintään {n} desimaalia.",
        "number_min": "Luku ei voi olla pienempi kuin {min}.",
        "number_max": "Luku ei voi olla suurempi kuin {max}.",
        "personnummer": "Tämä ei ole kelvollinen henkilötunnus. Kirjoita se muodossa "
        "VVVVKKPP-NNNN ja tarkista numerot.",
        "kept": "Vastauksesi tallennetaan sellaisena kuin kirjoitit sen.",
        "overflow": "Vastauksesi ei mahdu ruutuun, kun lomake tulostetaan. "
        "Lyhennä sitä tai kerro loput meille, kun tulet.",
    },
    "se": {
        "date": "Dát ii leat beaivemearri. Čále dan nu: JJJJ-MM-BB, omd. 2024-03-05.",
        "date_min": "Beaivemearri ii sáhte leat ovdal {min}.",
        "date_max": "Beaivemearri ii sáhte leat maŋŋel {max}.",
        "number": "Čále lohku, omd. 12 dahje 12,5.",
        "whole": "Čále ollis lohku, almmá desimálaid haga.",
        "decimals": "Čále eanemusat {n} desimála.",
        "number_min": "Lohku ii sáhte leat unnit go {min}.",
        "number_max": "Lohku ii sáhte leat stuorát go {max}.",
        "personnummer": "Dát ii leat gustovaš persovdnanummir. Čále dan nu: "
        "JJJJMMBB-NNNN ja dárkkis loguid.",
        "kept": "Du vástádus vurkejuvvo nu go don čállet dan.",
        "overflow": "Du vástádus ii čáhke lávkii go skovvi čálihuvvo. "
        "Oanit dan, dahje muital loahpa midjiide go boađát.",
    },
    "uk": {
        "date": "Це не схоже на дату. Напишіть її у форматі РРРР-ММ-ДД, наприклад 2024-03-05.",
        "date_min": "Дата не може бути раніше {min}.",
        "date_max": "Дата не може бути пізніше {max}.",
        "number": "Напишіть число, наприклад 12 або 12,5 (без «приблизно» і без проміжків).",
        "whole": "Напишіть ціле число, без десяткових знаків.",
        "decimals": "Напишіть не більше {n} десяткових знаків.",
        "number_min": "Число не може бути меншим за {min}.",
        "number_max": "Число не може бути більшим за {max}.",
        "personnummer": "Це недійсний персональний ідентифікаційний номер. Напишіть його "
        "у форматі РРРРММДД-NNNN і перевірте цифри.",
        "kept": "Вашу відповідь збережено так, як ви її написали.",
        "overflow": "Ваша відповідь не поміститься в клітинці, коли анкету буде "
        "надруковано. Скоротіть її або розкажіть решту, коли прийдете.",
    },
    "ar": {
        "date": "هذا لا يبدو تاريخا. اكتبه بالشكل YYYY-MM-DD، مثلا 2024-03-05.",
        "date_min": "يجب ألا يكون التاريخ قبل {min}.",
        "date_max": "يجب ألا يكون التاريخ بعد {max}.",
        "number": "اكتب رقما، مثلا 12 أو 12,5 (بدون «تقريبا» وبدون نطاقات).",
        "whole": "اكتب عددا صحيحا بدون كسور عشرية.",
        "decimals": "اكتب {n} منازل عشرية على الأكثر.",
        "number_min": "يجب ألا يكون الرقم أقل من {min}.",
        "number_max": "يجب ألا يكون الرقم أكبر من {max}.",
        "personnummer": "هذا ليس رقما شخصيا صالحا. اكتبه بالشكل YYYYMMDD-NNNN وتحقق من الأرقام.",
        "kept": "تحفظ إجابتك كما كتبتها.",
        "overflow": "لن تتسع إجابتك في المربع عند طباعة الاستمارة. "
        "يرجى اختصارها، أو أخبرنا بالباقي عند حضورك.",
    },
}


def message(lang: str, key: str, **kw) -> str:
    return MESSAGES.get(lang, MESSAGES["en"])[key].format(**kw)


# --------------------------------------------------------------------------- the checks


def _fill(template: str, **values: str) -> str:
    """`template` with each @name@ replaced (JavaScript is full of braces and %)."""
    for name, value in values.items():
        template = template.replace(f"@{name}@", value)
    assert not re.search(r"@\w+@", template), template
    return template


# Shared helpers. `today` is a JavaScript Date (the viewer's local day, as the
# readers take date.today()). Made when a form with checks is drawn (they hold
# _whitespace()).
@cache
def _common() -> str:
    return _fill(
        r"""
function pf_collapse(text, dashes) {
  var ws = @ws@;
  var out = [], word = "";
  for (var i = 0; i < text.length; i++) {
    var ch = text.charAt(i);
    if (ws.test(ch)) { if (word) { out.push(word); word = ""; } continue; }
    word += dashes.test(ch) ? "-" : ch;
  }
  if (word) out.push(word);
  return out.join(" ");
}
function pf_leap(y) { return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0; }
function pf_date_ok(y, m, d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  var days = [31, pf_leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1];
}
function pf_pad(n, w) { var s = String(n); while (s.length < w) s = "0" + s; return s; }
function pf_iso(y, m, d) { return pf_pad(y, 4) + "-" + pf_pad(m, 2) + "-" + pf_pad(d, 2); }
""",
        ws=f"new RegExp({json.dumps(_char_class(_whitespace()))})",
    )


_DATE = _fill(
    r"""
function pf_parse_date(text, today) {
  var s = pf_collapse(text, new RegExp(@dashes@));
  if (!s) return null;
  var full = [@full@], short = [@short@], named = [@named@];
  var months = @months@;
  var m, g, i;
  for (i = 0; i < full.length; i++) {
    m = full[i].re.exec(s), g = full[i].g;
    if (m) return pf_make(+m[g.year], +m[g.month], +m[g.day]);
  }
  for (i = 0; i < short.length; i++) {
    m = short[i].re.exec(s), g = short[i].g;
    if (m) {
      var latest = today.getFullYear() + 1;
      var year = latest - ((latest - +m[g.yy]) % 100 + 100) % 100;
      return pf_make(year, +m[g.month], +m[g.day]);
    }
  }
  for (i = 0; i < named.length; i++) {
    m = named[i].re.exec(s), g = named[i].g;
    if (m) return pf_make(+m[g.year], months[m[g.month].toLowerCase()], +m[g.day]);
  }
  return null;
}
function pf_make(y, m, d) { return pf_date_ok(y, m, d) ? pf_iso(y, m, d) : null; }
function pf_check_date(text, o, today) {
  var iso = pf_parse_date(text, today);
  if (iso === null) return "date";
  if (o.min !== null && iso < o.min) return "date_min";
  if (o.max !== null && iso > o.max) return "date_max";
  return null;
}
""",
    dashes=json.dumps(_char_class(_COERCE_DASHES)),
    full=", ".join(_js_regex(p) for p in coerce.FULL_YEAR_DATES),
    short=", ".join(_js_regex(p) for p in coerce.SHORT_YEAR_DATES),
    named=", ".join(_js_regex(p) for p in coerce.NAMED_MONTH_DATES),
    months=json.dumps(coerce.MONTHS, sort_keys=True),
)

_NUMBER = _fill(
    r"""
function pf_check_number(text, o) {
  var s = pf_collapse(text, new RegExp(@dashes@));
  var number = @number@, g = number.g;
  var m = number.re.exec(s);
  if (!s || !m) return "number";
  var whole = m[g["int"]].replace(/ /g, ""), frac = m[g.frac], sign = m[g.sign];
  if (frac !== undefined && /[1-9]/.test(frac) && o.decimals === 0) return "whole";
  var value;
  if (frac === undefined || o.decimals === 0) {
    value = parseFloat(whole);
  } else {
    value = parseFloat(whole + "." + frac);
    if (!isFinite(value)) return "number";
  }
  if (sign === "-") value = -value;
  if (o.decimals !== null && o.decimals > 0 && !isFinite(value)) return "number";
  if (o.decimals !== null && o.decimals > 0 && Number(value.toFixed(o.decimals)) !== value) {
    return "decimals";
  }
  if (o.min !== null && value < o.min) return "number_min";
  if (o.max !== null && value > o.max) return "number_max";
  return null;
}
""",
    dashes=json.dumps(_char_class(_COERCE_DASHES)),
    number=_js_regex(coerce.NUMBER),
)


@cache
def _personnummer() -> str:
    return _fill(
        r"""
function pf_check_personnummer(text, o, today) {
  var ws = @ws@, dashes = @dashes@;
  var digits = "", sep = null, pos = -1;
  for (var i = 0; i < text.length; i++) {
    var ch = text.charAt(i);
    if (ws.test(ch)) continue;
    if (ch >= "0" && ch <= "9") { digits += ch; continue; }
    if (dashes.test(ch) || ch === "+") {
      if (sep !== null) return "personnummer";
      sep = ch === "+" ? "+" : "-";
      pos = digits.length;
      continue;
    }
    return "personnummer";
  }
  if (digits.length !== 10 && digits.length !== 12) return "personnummer";
  if (sep !== null && pos !== digits.length - 4) return "personnummer";
  if (sep === "+" && digits.length === 12) return "personnummer";
  var short = digits.slice(-10);
  var month = +short.slice(2, 4), written = +short.slice(4, 6);
  var day = written > 60 ? written - 60 : written;
  var ty = today.getFullYear(), tm = today.getMonth() + 1, td = today.getDate();
  var year;
  if (digits.length === 12) {
    year = +digits.slice(0, 4);
  } else if (sep === "+") {
    var limit = ty - 100;
    year = limit - ((limit - +short.slice(0, 2)) % 100 + 100) % 100;
  } else {
    year = ty - ((ty - +short.slice(0, 2)) % 100 + 100) % 100;
    if (pf_iso(year, month, day) > pf_iso(ty, tm, td)) year -= 100;
  }
  if (!pf_date_ok(year, month, day)) return "personnummer";
  if (pf_iso(year, month, day) > pf_iso(ty, tm, td)) return "personnummer";
  var total = 0;
  for (var k = 0; k < 9; k++) {
    var p = +short.charAt(k) * (k % 2 === 0 ? 2 : 1);
    total += Math.floor(p / 10) + (p % 10);
  }
  if ((10 - (total % 10)) % 10 !== +short.charAt(9)) return "personnummer";
  return null;
}
""",
        ws=f"new RegExp({json.dumps(_char_class(_whitespace()))})",
        dashes=f"new RegExp({json.dumps(_char_class(_PNR_DASHES))})",
    )


CHECKS = {"date": lambda: _DATE, "number": lambda: _NUMBER, "personnummer": _personnummer}
CHECKED_TYPES = tuple(CHECKS)


def check_source(qtype: str) -> str:
    """The JavaScript that defines pf_check_<qtype>(text, options, today): null when the
    readers accept the text, else the key of the message that says why not."""
    return _common() + CHECKS[qtype]()


def options(q: Question) -> dict:
    """What the check of a question needs to know of it."""
    if q.type == "number":
        return {"min": q.min, "max": q.max, "decimals": q.decimals}
    if q.type == "date":
        return {"min": q.min, "max": q.max}
    return {}


def _shown(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


# --------------------------------------------------------------------------- will it fit

# The text a filled field shows on paper is the appearance our fill draws
# (overlay.text_ops): the values' font (Typed Sans, Helvetica's widths) at the
# field's size from PADDING + 1, wrapped at the box less 2 × PADDING + 2, LEADING
# apart, clipped to the box less PADDING. A viewer that draws its own appearance
# draws it near enough the same; the check is for telling a person, never for reading.
FIT_FONT = fonts.TYPED
DESCENT = 0.207  # Helvetica's (and Typed Sans's) descender below the baseline, in em
# Widths (1/1000 em) of the characters the check knows: Western European letters and
# typography, and the letters of the form's language (both cases) where the values'
# font draws them left to right (Sami, Cyrillic, Greek). Any other counts as 1 em, so
# an unknown script (and Arabic, whose shapes change its widths) is told "may not fit"
# rather than nothing. The table is in every text box's script: it is kept to what the
# form's language writes (all of the font's letters would add 10 kB a box).
_FIT_CHARS = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "".join(chr(c) for c in range(0xA0, 0x100))
    + "\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u20ac\u2212"
)


@cache
def known_chars(letters: str = "") -> frozenset[str]:
    """The characters whose widths the check knows, for a form whose language writes
    `letters` (Layout.letters)."""
    drawn = fonts.typed_charset(FIT_FONT)
    cased = {c for ch in letters for c in (ch, ch.lower(), ch.upper()) if len(c) == 1}
    own = {ch for ch in cased if ord(ch) in drawn and not fonts.has_rtl(ch)}
    return frozenset(_FIT_CHARS) | own


def _char_width(ch: str) -> float:
    """A character's width in the values' font, in 1/1000 em to a tenth (the same
    number in Python and in the script's table)."""
    return round(width_of(ch, FIT_FONT.measure, 1000), 1)


UNKNOWN_WIDTH = 1000.0


def _lines(text: str) -> str:
    """Line breaks as a viewer stores them (CR LF, or CR alone in Acrobat) → LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_fits(
    text: str, w: float, h: float, size: float, multiline: bool, letters: str = ""
) -> bool:
    """Whether `text` shows whole in a w × h text box when the form is printed:
    what the overflow script (below) says in JavaScript, in a form whose language
    writes `letters`."""
    width = w - 2 * PADDING - 2
    text = _lines(text)
    known = known_chars(letters)
    if not multiline:
        return _fit_width(" ".join(text.split("\n")), size, known) <= width
    lines = _fit_wrap(text, size, width, known)
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return True
    last = h - PADDING - size - (len(lines) - 1) * size * LEADING
    return last - DESCENT * size >= PADDING


def _fit_width(text: str, size: float, known: frozenset[str]) -> float:
    return sum(_char_width(ch) if ch in known else UNKNOWN_WIDTH for ch in text) * size / 1000


def _fit_wrap(text: str, size: float, width: float, known: frozenset[str]) -> list[str]:
    # layout.wrap's rule, measured character by character as the script does
    # (the same sums in the same order, so the two agree to the last bit)
    return wrap_measured(text, lambda t: _fit_width(t, size, known), width)


_FIT_SOURCE = r"""
function pf_width(text, size) {
  var widths = @widths@, total = 0;
  for (var i = 0; i < text.length; i++) {
    var code = text.charCodeAt(i);
    if (code >= 0xdc00 && code <= 0xdfff) continue;  // the second half of one character
    var w = widths[text.charAt(i)];
    total += w === undefined ? @unknown@ : w;
  }
  return total * size / 1000;
}
function pf_words(paragraph) {
  var ws = @ws@, words = [], word = "";
  for (var i = 0; i < paragraph.length; i++) {
    var ch = paragraph.charAt(i);
    if (ws.test(ch)) { if (word) { words.push(word); word = ""; } } else { word += ch; }
  }
  if (word) words.push(word);
  return words;
}
function pf_wrap(text, size, width) {
  var lines = [], paragraphs = text.split("\n");
  for (var p = 0; p < paragraphs.length; p++) {
    var words = pf_words(paragraphs[p]);
    if (!words.length) { lines.push(""); continue; }
    var current = "";
    for (var i = 0; i < words.length; i++) {
      var word = words[i];
      var candidate = current ? current + " " + word : word;
      if (pf_width(candidate, size) <= width) { current = candidate; continue; }
      if (current) lines.push(current);
      while (pf_width(word, size) > width && word.length > 1) {
        var cut = word.length;
        while (cut > 1 && pf_width(word.slice(0, cut), size) > width) cut--;
        var soft = Math.max(word.lastIndexOf("/", cut - 1), word.lastIndexOf("-", cut - 1));
        if (soft > 0) cut = soft + 1;
        lines.push(word.slice(0, cut));
        word = word.slice(cut);
      }
      current = word;
    }
    lines.push(current);
  }
  return lines;
}
function pf_fits(text, box) {
  var width = box.w - 2 * @padding@ - 2;
  text = text.replace(/\r\n/g, "\n").replace(/\r/g, "\n");
  if (!box.multiline) return pf_width(text.split("\n").join(" "), box.size) <= width;
  var lines = pf_wrap(text, box.size, width);
  while (lines.length && !pf_words(lines[lines.length - 1]).length) lines.pop();
  if (!lines.length) return true;
  var last = box.h - @padding@ - box.size - (lines.length - 1) * box.size * @leading@;
  return last - @descent@ * box.size >= @padding@;
}
"""


@cache
def fit_source(letters: str = "") -> str:
    """The JavaScript that defines pf_fits(text, {w, h, size, multiline}), for a form
    whose language writes `letters`."""
    widths = {ch: _char_width(ch) for ch in known_chars(letters)}
    return _common() + _fill(
        _FIT_SOURCE,
        widths=json.dumps(widths, ensure_ascii=True, sort_keys=True),
        unknown=repr(UNKNOWN_WIDTH),
        ws=f"new RegExp({json.dumps(_char_class(_whitespace()))})",
        padding=repr(PADDING),
        leading=repr(LEADING),
        descent=repr(DESCENT),
    )


def overflow_action(widget: Widget, lang: str, letters: str = "") -> str:
    """The Validate action of a text box: say when the answer will be cut on paper."""
    box = {"w": widget.w, "h": widget.h, "size": widget.font_size, "multiline": widget.multiline}
    return (
        "(function () {\n"
        + fit_source(letters)
        + "var v = event.value;\n"
        + "var text = v === undefined || v === null ? '' : String(v);\n"
        + f"if (!pf_fits(text, {json.dumps(box)})) "
        + f"app.alert({json.dumps(message(lang, 'overflow'), ensure_ascii=False)}, 1);\n"
        + "})();\n"
    )


def validate_action(q: Question, lang: str) -> str:
    """The Validate action of a date, number or personnummer field."""
    opts = options(q)
    shown = {k: _shown(v) for k, v in opts.items() if v is not None}
    texts = {
        key: message(
            lang,
            key,
            min=shown.get("min", ""),
            max=shown.get("max", ""),
            n=shown.get("decimals", ""),
        )
        for key in MESSAGES["en"]
        if key not in ("kept", "overflow")
    }
    kept = message(lang, "kept")
    return (
        "(function () {\n"
        + check_source(q.type)
        + f"var texts = {json.dumps(texts, ensure_ascii=False)};\n"
        # A blank field is no answer, and readers never check it.
        + "var v = event.value;\n"
        + "var text = v === undefined || v === null ? '' : String(v);\n"
        + "if (!pf_collapse(text, /$^/)) return;\n"
        + f"var why = pf_check_{q.type}(text, {json.dumps(opts)}, new Date());\n"
        # event.rc stays true: the value is kept as typed.
        + f"if (why) app.alert(texts[why] + ' ' + {json.dumps(kept, ensure_ascii=False)}, 1);\n"
        + "})();\n"
    )
