// Fill a PDF form the way Firefox's viewer (pdf.js) does, and save it.
//
//   node fill.mjs < request.json > filled.pdf
//
// stdin:  {"pdf": "<base64 of the PDF>", "values": {"<field name>": value, ...}}
//         value: a string for text fields, true/false for checkboxes, the on-state
//         (option value) for radio groups, the export value for choice fields,
//         null to leave the field blank.
// stdout: the saved PDF, raw bytes (pdf.js `saveDocument()`: an incremental update).
// stderr: the reason, with exit code 1, on any failure (unknown field, a value
//         that no widget of the field offers, a pdf.js error).
//
// What Firefox does is copied from pdf.js `src/display/annotation_layer.js`: each
// widget kind puts into `annotationStorage` what its HTML element's event handler
// puts there when a person types, ticks, clicks or picks:
//   text       input/textarea "input" event      setValue(id, {value: text}), and the
//                                                same on every widget of that name
//              (text as the element holds it: line breaks dropped from a one-line
//               <input>, CR LF → LF in a <textarea>, cut at /MaxLen)
//   checkbox   "change" event                    setValue(id, {value: checked})
//   radio      "change" event                    every widget of the group false,
//                                                then the clicked one true
//   choice     select "input" event              setValue(id, {value: exportValue})
//              (a combo's getValue(true): the selected <option>'s value attribute,
//               which is the option's export value)
// null: a person leaves the field alone, so nothing is stored; when the file
// already holds a value, it is cleared the way a person would (text emptied,
// box unticked, the choice's blank entry picked); a radio group that is on
// cannot be switched off in Firefox, so that is an error.

import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function fail(message) {
  process.stderr.write(`fill.mjs: ${message}\n`);
  process.exit(1);
}

async function main() {
  const request = JSON.parse(await readStdin());
  if (typeof request.pdf !== "string" || typeof request.values !== "object") {
    fail('expected {"pdf": "<base64>", "values": {...}} on stdin');
  }
  const data = new Uint8Array(Buffer.from(request.pdf, "base64"));
  const doc = await getDocument({
    data,
    useSystemFonts: false,
    isEvalSupported: false,
    stopAtErrors: true,
    verbosity: 0,
  }).promise;

  // Every widget, grouped by field name, as the AnnotationLayer sees them.
  const byName = new Map();
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    for (const a of await page.getAnnotations({ intent: "display" })) {
      if (a.annotationType !== 20 || !a.fieldName) continue; // 20: Widget
      if (!byName.has(a.fieldName)) byName.set(a.fieldName, []);
      byName.get(a.fieldName).push(a);
    }
  }

  const storage = doc.annotationStorage;
  for (const [name, value] of Object.entries(request.values)) {
    const widgets = byName.get(name);
    if (!widgets) fail(`no field named ${JSON.stringify(name)} in the PDF`);
    const first = widgets[0];
    if (first.fieldType === "Tx") {
      if (value !== null && typeof value !== "string") {
        fail(`${name}: a text field takes a string, not ${JSON.stringify(value)}`);
      }
      const current = first.fieldValue ?? "";
      if (value === null && current === "") continue;
      // What the browser's element holds after typing: an <input type=text> drops
      // line breaks, a <textarea> turns CR LF and CR into LF, `maxlength` cuts.
      let typed = value ?? "";
      typed = first.multiLine ? typed.replace(/\r\n?/g, "\n") : typed.replace(/[\r\n]/g, "");
      if (first.maxLen) typed = typed.slice(0, first.maxLen);
      // The input handler stores on the typed-in widget and on its siblings.
      for (const w of widgets) storage.setValue(w.id, { value: typed });
    } else if (first.checkBox) {
      if (value !== null && typeof value !== "boolean") {
        fail(`${name}: a checkbox takes true/false, not ${JSON.stringify(value)}`);
      }
      const checked = value === true;
      const isChecked = first.fieldValue === first.exportValue;
      if (checked === isChecked) continue; // no click
      // The change handler: each same-name box is on only if its export value
      // matches the clicked one; then the clicked box gets `checked`.
      for (const w of widgets) {
        storage.setValue(w.id, { value: checked && w.exportValue === first.exportValue });
      }
      storage.setValue(first.id, { value: checked });
    } else if (first.radioButton) {
      if (value !== null && typeof value !== "string") {
        fail(`${name}: a radio group takes an option value, not ${JSON.stringify(value)}`);
      }
      if (value !== null && !widgets.some((w) => w.buttonValue === value)) {
        const offered = widgets.map((w) => w.buttonValue).join(", ");
        fail(`${name}: no radio button with on-state ${JSON.stringify(value)} (has ${offered})`);
      }
      const isOn = widgets.some((w) => w.fieldValue === w.buttonValue);
      if (value === null && !isOn) continue;
      if (value === null) {
        // No click switches a radio group off in Firefox; pdf.js's save would
        // set every /AS to /Off but keep the parent's /V (it writes /V only for
        // a widget switched on), and then still show the old choice itself.
        fail(`${name}: Firefox cannot switch a radio group off (it is on); pass a value`);
      }
      for (const w of widgets) storage.setValue(w.id, { value: w.buttonValue === value });
    } else if (first.fieldType === "Ch") {
      if (value !== null && typeof value !== "string") {
        fail(`${name}: a choice field takes an export value, not ${JSON.stringify(value)}`);
      }
      if (value !== null && !first.options.some((o) => o.exportValue === value)) {
        const offered = first.options.map((o) => o.exportValue).join(", ");
        fail(`${name}: no option with export value ${JSON.stringify(value)} (has ${offered})`);
      }
      const current = Array.isArray(first.fieldValue) ? first.fieldValue : [first.fieldValue];
      const hasValue = current.some((v) => v !== null && v !== undefined && v !== "");
      if (value === null && !hasValue) continue;
      let stored = value;
      if (value === null) {
        // A person takes a choice back by picking the blank entry, if there is one.
        const blank = first.options.find((o) => o.exportValue.trim() === "");
        if (!blank) fail(`${name}: cannot clear a choice that has no blank entry`);
        stored = blank.exportValue;
      }
      // Single-select getValue(true): the selected option's value, a string.
      storage.setValue(first.id, { value: stored });
    } else {
      fail(`${name}: unsupported field type ${first.fieldType}`);
    }
  }

  const saved = await doc.saveDocument();
  await doc.destroy();
  await new Promise((resolve, reject) =>
    process.stdout.write(Buffer.from(saved), (err) => (err ? reject(err) : resolve())),
  );
}

main().catch((err) => fail(`${err?.name ?? "Error"}: ${err?.message ?? err}\n${err?.stack ?? ""}`));
