// The review page: one item at a time, keyboard first. Talks to server.py's JSON API.
"use strict";

// The page's words are in the catalogue of messages (pdfforms/model/messages.py, keys
// "page.…"), which the server sends as /page-texts.js (PAGE_TEXTS: language → key →
// text). A text with {names} becomes a function of these arguments, in this order.
const ARGS = {
  left: ["left", "total"],
  doneText: ["total"],
  elsewhere: ["n"],
  taken: ["by", "at", "value"],
  written: ["time"],
  writeError: ["e"],
  savedBy: ["by", "at"],
};
function texts(lang) {
  const out = {};
  for (const [key, text] of Object.entries(PAGE_TEXTS[lang] || PAGE_TEXTS.sv)) {
    const path = key.split(".");
    const name = path.pop();
    let at = out;
    for (const part of path) at = at[part] = at[part] || {};
    const args = ARGS[name];
    at[name] = args
      ? (...values) => text.replace(/\{(\w+)\}/g, (_, n) => String(values[args.indexOf(n)]))
      : text;
  }
  return out;
}
const TEXTS = { sv: texts("sv"), en: texts("en") };
let L = TEXTS.sv;

const $ = (id) => document.getElementById(id);
const tab = crypto.randomUUID();
const previousTab = sessionStorage.getItem("pdfforms-tab") || "";
sessionStorage.setItem("pdfforms-tab", tab);
let trail = JSON.parse(sessionStorage.getItem("pdfforms-trail") || "[]"); // items shown before
let unit = null; // what is shown
let base = null; // the decision the person saw on it (id), so nobody overwrites unseen
let force = false; // the next save goes through despite the problems shown
let busy = false;
let pollTimer = null;
// A press that decides an item counts only once a person can have seen the item:
// after they did something on it, or SETTLE_MS after it was shown, so the second
// press of a double press never decides the next item. Not measured here: it is
// Windows' default double-click time (GNOME's is 400 ms), the span within which
// the system itself takes two presses for one gesture; looking at a new crop and
// deciding takes a person longer. A held key's repeats are told apart by the
// browser (event.repeat) and never decide, however late they come.
const SETTLE_MS = 500;
let shownAt = 0;
let acted = false; // the person typed, chose or clicked on the item shown
let emptyChosen = false; // ... and chose "nothing" among its options (0, a click)

function remember(key) {
  if (key && trail[trail.length - 1] !== key) trail.push(key);
  trail = trail.slice(-500);
  sessionStorage.setItem("pdfforms-trail", JSON.stringify(trail));
}

async function api(path, body) {
  let response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ tab, ...body }),
    });
  } catch (e) {
    return { ok: false, status: 0, data: {} };
  }
  let data = {};
  try {
    data = await response.json();
  } catch (e) {
    /* not JSON: a proxy, a crash */
  }
  return { ok: response.ok, status: response.status, data };
}

function say(text, where = "message") {
  const box = $(where);
  box.textContent = text || "";
  box.hidden = !text;
}

function counts(data) {
  if (typeof data.total !== "number") return;
  $("left").textContent = L.left(data.left, data.total);
  $("bar").style.width = data.total ? `${(100 * data.done) / data.total}%` : "0";
}

// -- showing an item ------------------------------------------------------------------------

function show(data) {
  counts(data);
  $("loading").hidden = true;
  clearTimeout(pollTimer);
  if (!data.unit) {
    unit = null;
    $("item").hidden = true;
    $("done").hidden = false;
    if (data.left > 0) {
      $("done-title").textContent = "";
      $("done-text").textContent = L.elsewhere(data.left);
      pollTimer = setTimeout(() => next(), 5000);
    } else {
      $("done-title").textContent = L.doneTitle;
      $("done-text").textContent = L.doneText(data.total);
    }
    return;
  }
  unit = data.unit;
  base = unit.decision ? unit.decision.id : null;
  force = false;
  shownAt = performance.now();
  acted = false;
  emptyChosen = false;
  $("done").hidden = true;
  $("item").hidden = false;
  say("");
  const where = [
    unit.form.title,
    `${L.file} ${unit.file}`,
    unit.questionnaire > 1 ? `${L.questionnaire} ${unit.questionnaire}` : null,
    unit.page ? `${L.page} ${unit.page}` : null,
    unit.serial ? `${L.serial} ${unit.serial}` : null,
  ];
  $("meta").textContent = where.filter(Boolean).join(" · ");
  $("reason").textContent = [L.reasons[unit.reason] || unit.reason]
    .concat((unit.seen || []).map((kind) => L.seen[kind] || kind))
    .join(" ");
  const images = $("images");
  images.replaceChildren();
  for (const image of unit.images) {
    const figure = document.createElement("figure");
    if (unit.images.length === 1) figure.className = "single";
    const img = document.createElement("img");
    img.src = image.url;
    img.alt = image.caption || L.reasons[unit.reason] || "";
    img.addEventListener("click", () => figure.classList.toggle("zoom"));
    figure.append(img);
    if (image.caption) {
      const caption = document.createElement("figcaption");
      caption.textContent = image.caption;
      inLanguage(caption, unit.form.language);
      figure.append(caption);
    }
    images.append(figure);
  }
  const targets = $("targets");
  targets.replaceChildren();
  const single = unit.targets.length === 1;
  for (const target of unit.targets) {
    let value = target.guess;
    if (unit.decision && unit.decision.status === "transcribed") {
      const v = unit.decision.value;
      value = unit.whole_page ? (v || {})[target.name] : v;
    } else if (unit.decision) {
      value = target.input === "multiple" ? [] : null;
    }
    targets.append(renderTarget(target, value, single, unit.form.language));
  }
  if (unit.decision) {
    const d = unit.decision;
    const what =
      d.status === "unreadable" ? ` (${L.unreadableWord})` : blank(d.value) ? ` (${L.emptyWord})` : "";
    say(L.savedBy(d.by, when(d.at)) + what, "decided");
  } else {
    say("", "decided");
  }
  const first =
    targets.querySelector("textarea, input[type=text]") ||
    targets.querySelector("input:checked") ||
    targets.querySelector("input");
  if (first) {
    first.focus();
    if (first.select && first.type === "text") first.select();
  }
}

function when(iso) {
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString(document.documentElement.lang);
}

// The form's texts, and what people wrote on it, are in the form's language, which
// may be written right to left (Arabic, Persian): the element says its language (for
// screen readers and fonts) and takes its direction from its own text, so an Arabic
// question reads right to left and a Swedish answer typed into it left to right.
function inLanguage(element, lang) {
  if (lang) element.lang = lang;
  element.dir = "auto";
}

function renderTarget(target, value, single, lang) {
  const box = document.createElement("fieldset");
  box.dataset.name = target.name;
  box.dataset.input = target.input;
  inLanguage(box, lang);
  const legend = document.createElement("legend");
  let text = target.number ? `${target.number}. ${target.label}` : target.label;
  if (target.row) text += ` – ${L.row}: ${target.row}`;
  legend.textContent = text;
  box.append(legend);
  if (target.help) {
    const help = document.createElement("p");
    help.className = "help";
    help.textContent = target.help;
    box.append(help);
  }
  if (target.suggestion) {
    // digits the machine read in comb cells: shown for comparison, and pre-filled
    // (target.guess) only when it was sure of every digit and the value checks out
    const note = document.createElement("p");
    note.className = target.suggestion.problem ? "suggestion fails" : "suggestion";
    note.textContent = `${target.suggestion.problem ? L.suggestionFails : L.suggested} ${
      target.suggestion.text
    }${target.suggestion.problem ? ` – ${target.suggestion.problem}` : ""}`;
    box.append(note);
  }
  const id = `f-${target.name}`;
  if (target.input === "textarea") {
    const area = document.createElement("textarea");
    area.id = id;
    area.value = value || "";
    area.dir = "auto";
    area.setAttribute("aria-label", target.label);
    box.append(area);
  } else if (target.input === "text" || target.input === "personnummer") {
    const input = document.createElement("input");
    input.type = "text";
    input.id = id;
    input.value = value || "";
    input.dir = "auto";
    input.setAttribute("aria-label", target.label);
    if (target.input === "personnummer") input.inputMode = "numeric";
    box.append(input);
  } else {
    const multiple = target.input === "multiple";
    const options = document.createElement("div");
    options.className = "options";
    options.setAttribute("role", multiple ? "group" : "radiogroup");
    const list = multiple ? target.options : [...target.options, { value: "", label: L.none }];
    list.forEach((option, n) => {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = multiple ? "checkbox" : "radio";
      input.name = id;
      input.value = option.value;
      // "Nothing marked" is never preselected: choosing nothing is a person's act (0)
      input.checked = multiple
        ? (value || []).includes(option.value)
        : value !== null && value !== undefined && option.value === String(value);
      label.append(input);
      if (single) {
        const key = document.createElement("kbd");
        key.textContent = option.value === "" ? "0" : String(n + 1);
        label.append(key);
      }
      label.append(document.createTextNode(option.label));
      if (option.value === "" && !multiple) inLanguage(label, document.documentElement.lang);
      options.append(label);
    });
    box.append(options);
  }
  return box;
}

function valueOf(box) {
  const input = box.dataset.input;
  if (input === "multiple") {
    return [...box.querySelectorAll("input:checked")].map((i) => i.value);
  }
  if (input === "choice") {
    const chosen = box.querySelector("input:checked");
    return chosen && chosen.value !== "" ? chosen.value : null;
  }
  const field = box.querySelector("textarea, input");
  return field.value.trim() ? field.value : null;
}

function collect() {
  const boxes = [...$("targets").querySelectorAll("fieldset")];
  if (!unit.whole_page) return valueOf(boxes[0]);
  return Object.fromEntries(boxes.map((b) => [b.dataset.name, valueOf(b)]));
}

// Whether a value holds no answer at all: no text, no option, no question of a page.
function blank(value) {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.values(value).every(blank);
  return String(value).trim() === "";
}

function blankValue() {
  const one = (target) => (target.input === "multiple" ? [] : null);
  if (!unit.whole_page) return one(unit.targets[0]);
  return Object.fromEntries(unit.targets.map((t) => [t.name, one(t)]));
}

function emptyHow() {
  if (unit.whole_page) return L.emptyHow.page;
  return ["choice", "multiple"].includes(unit.targets[0].input) ? L.emptyHow.choice : L.emptyHow.text;
}

function describe(decision) {
  if (decision.status === "unreadable") return L.unreadableWord;
  const v = decision.value;
  if (v === null || v === undefined || (Array.isArray(v) && !v.length)) return L.emptyWord;
  if (typeof v === "object" && !Array.isArray(v)) {
    return Object.values(v).filter((x) => x !== null).join(", ") || L.emptyWord;
  }
  return `”${Array.isArray(v) ? v.join(", ") : v}”`;
}

// -- actions --------------------------------------------------------------------------------

async function next(extra = {}) {
  const r = await api("/api/next", { previous: previousTab, ...extra });
  if (!r.ok) {
    say(r.status === 0 ? L.offline : r.data.error || String(r.status), unit ? "message" : "done-message");
    if (!unit) $("done").hidden = false;
    return false;
  }
  show(r.data);
  return true;
}

// `empty`: the person said there is nothing to transcribe (Alt+T, the button).
async function save(status, empty = false) {
  if (!unit || busy) return;
  if (!acted && performance.now() - shownAt < SETTLE_MS) return; // the press before, again
  const value = status === "unreadable" ? null : empty ? blankValue() : collect();
  if (status === "transcribed" && blank(value) && !empty && !emptyChosen) {
    // An empty answer is never what Enter saves by itself: it must be chosen
    say(emptyHow());
    const first = $("targets").querySelector("textarea, input[type=text], input");
    if (first) first.focus();
    return;
  }
  busy = true;
  try {
    const key = unit.key;
    const r = await api("/api/decide", {
      key,
      status,
      value,
      base,
      by: $("who").value.trim(),
      force,
      // said only of a person's act: the server refuses an empty answer without it
      empty: status === "transcribed" && blank(value) && (empty || emptyChosen),
    });
    if (r.ok) {
      remember(key);
      $("status").textContent = `${L.saved} ${new Date().toLocaleTimeString(document.documentElement.lang)}`;
      await next();
    } else if (r.status === 422 && r.data.reason === "empty") {
      say(emptyHow());
    } else if (r.status === 422) {
      say(`${r.data.error} ${L.again}`);
      force = true;
    } else if (r.status === 409 && r.data.reason === "decided") {
      const d = r.data.decision;
      base = d.id;
      say(L.taken(d.by, when(d.at), describe(d)));
    } else if (r.status === 409) {
      say(L.leased);
    } else {
      say(r.status === 0 ? L.offline : r.data.error || String(r.status));
    }
  } finally {
    busy = false;
  }
}

async function skip() {
  if (!unit || busy) return;
  busy = true;
  try {
    const key = unit.key;
    if (await next({ skip: key })) remember(key);
  } finally {
    busy = false;
  }
}

async function back() {
  if (busy) return;
  const at = unit ? trail.lastIndexOf(unit.key) : trail.length;
  const before = trail.slice(0, at === -1 ? trail.length : at);
  const key = before[before.length - 1];
  if (!key) {
    say(L.nothingBack, unit ? "message" : "done-message");
    return;
  }
  busy = true;
  try {
    const r = await api("/api/claim", { key });
    if (r.ok) {
      if (unit && !trail.includes(unit.key)) remember(unit.key);
      trail = trail.filter((k) => k !== key);
      trail.splice(Math.max(0, before.length - 1), 0, key);
      sessionStorage.setItem("pdfforms-trail", JSON.stringify(trail));
      show(r.data);
    } else {
      say(r.status === 409 ? L.leased : r.status === 0 ? L.offline : r.data.error, unit ? "message" : "done-message");
    }
  } finally {
    busy = false;
  }
}

// -- keys -----------------------------------------------------------------------------------

document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (event.altKey && !event.ctrlKey && !event.metaKey) {
    const action = {
      KeyS: skip,
      KeyO: () => save("unreadable"),
      KeyU: () => save("unreadable"),
      KeyT: () => save("transcribed", true),
      KeyB: back,
      ArrowLeft: back,
    }[event.code];
    if (action) {
      event.preventDefault();
      if (!event.repeat) action(); // a held key decides one item, not every one after it
    }
    return;
  }
  if (event.ctrlKey || event.metaKey || !unit || target === $("who")) return;
  if (event.key === "Enter" && !event.isComposing) {
    if (target.tagName === "BUTTON") {
      if (event.repeat) event.preventDefault(); // a held Enter presses a button once
      return; // the button's own action
    }
    if (target.tagName === "TEXTAREA" && event.shiftKey) return; // a new line
    event.preventDefault();
    if (!event.repeat) save("transcribed"); // a held Enter saves one item, not the next
    return;
  }
  const typing = target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type === "text");
  if (!typing && /^[0-9]$/.test(event.key) && unit.targets.length === 1) {
    const inputs = [...$("targets").querySelectorAll("input")];
    const choice = unit.targets[0].input === "choice";
    const n = Number(event.key);
    const input = n === 0 ? (choice ? inputs[inputs.length - 1] : null) : inputs[n - 1];
    if (n === 0 && !choice && !event.repeat) {
      // 0 on a multiple choice: nothing is marked, as a person says it
      event.preventDefault();
      for (const box of inputs) box.checked = false;
      force = false;
      acted = emptyChosen = true;
      return;
    }
    if (input && (n > 0 || choice) && !(choice && n === inputs.length)) {
      event.preventDefault();
      input.checked = input.type === "radio" ? true : !input.checked;
      input.focus();
      force = false;
      acted = emptyChosen = true;
    }
  }
});

$("form").addEventListener("submit", (event) => {
  event.preventDefault();
  save("transcribed");
});
$("form").addEventListener("input", (event) => {
  force = false;
  acted = true;
  if (event.target.type === "radio" || event.target.type === "checkbox") emptyChosen = true;
});
$("skip").addEventListener("click", skip);
$("unreadable").addEventListener("click", () => save("unreadable"));
$("empty").addEventListener("click", () => save("transcribed", true));
$("back").addEventListener("click", back);
$("done-back").addEventListener("click", back);
$("who").addEventListener("change", () => localStorage.setItem("pdfforms-reviewer", $("who").value.trim()));

// -- staying alive ----------------------------------------------------------------------------

async function refreshState() {
  try {
    const r = await fetch("/api/state", { credentials: "same-origin" });
    if (!r.ok) return;
    const state = await r.json();
    counts(state);
    if (state.write_error) $("status").textContent = L.writeError(state.write_error);
    else if (state.written_at)
      $("status").textContent = L.written(new Date(state.written_at * 1000).toLocaleTimeString(document.documentElement.lang));
  } catch (e) {
    /* offline: the next action says so */
  }
}

setInterval(() => api("/api/heartbeat", {}), 30000);
setInterval(refreshState, 10000);
window.addEventListener("pagehide", () => {
  fetch("/api/leaving", {
    method: "POST",
    keepalive: true,
    headers: { "Content-Type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify({ tab }),
  }).catch(() => {});
});

async function start() {
  let state = {};
  try {
    const r = await fetch("/api/state", { credentials: "same-origin" });
    state = await r.json();
  } catch (e) {
    /* shown by next() */
  }
  L = TEXTS[state.lang] || TEXTS.sv;
  document.documentElement.lang = state.lang || "sv";
  document.title = `${L.title} – ${state.dataset || "pdfforms"}`;
  $("title").textContent = `${L.title}: ${state.dataset || ""}`;
  $("who-label").textContent = L.reviewer;
  $("who").value = localStorage.getItem("pdfforms-reviewer") || state.reviewer || "";
  const label = (id, text, key) => {
    $(id).replaceChildren(document.createTextNode(`${text} `));
    const k = document.createElement("kbd");
    k.textContent = key;
    $(id).append(k);
  };
  label("save", L.save, "Enter");
  label("skip", L.skip, "Alt+S");
  label("unreadable", L.unreadable, "Alt+O");
  label("empty", L.empty, "Alt+T");
  label("back", L.back, "Alt+B");
  label("done-back", L.back, "Alt+B");
  $("keys").textContent = L.keys;
  counts(state);
  await next();
  refreshState();
}

start();
