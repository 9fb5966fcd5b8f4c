// Print what pdf.js (Firefox's viewer) shows in every form field of a PDF.
//
//   node read.mjs file.pdf      (or the PDF's raw bytes on stdin: node read.mjs < file.pdf)
//
// stdout: one JSON object {"<field name>": value}, where value is
//   text      the field's text (pdf.js `fieldValue`), null when empty;
//   checkbox  true/false: checked when `fieldValue === exportValue`, the test the
//             AnnotationLayer's <input type=checkbox> uses;
//   radio     the `buttonValue` of the widget with `fieldValue === buttonValue`
//             (how the AnnotationLayer decides which <input type=radio> is
//             checked; pdf.js takes `fieldValue` only from a *name* /V on the
//             parent), null when none is;
//   choice    the export value of the option the <select> shows selected (an
//             option whose export value is in `fieldValue`), null when none is or
//             the selected option is a blank entry (" ").
// stderr + exit code 1 on failure.

import { readFileSync } from "node:fs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

async function readInput() {
  if (process.argv[2]) return readFileSync(process.argv[2]);
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function valueOf(widgets) {
  const first = widgets[0];
  if (first.fieldType === "Tx") {
    const v = first.fieldValue;
    const text = Array.isArray(v) ? v.join("") : (v ?? "");
    return text === "" ? null : text;
  }
  if (first.checkBox) {
    return widgets.some((w) => w.exportValue === w.fieldValue);
  }
  if (first.radioButton) {
    const on = widgets.find((w) => w.buttonValue !== null && w.fieldValue === w.buttonValue);
    return on ? on.buttonValue : null;
  }
  if (first.fieldType === "Ch") {
    const current = Array.isArray(first.fieldValue) ? first.fieldValue : [first.fieldValue];
    const option = first.options.find((o) => current.includes(o.exportValue));
    if (!option || option.exportValue.trim() === "") return null;
    return option.exportValue;
  }
  return undefined; // push buttons, signatures: no value
}

async function main() {
  const data = new Uint8Array(await readInput());
  const doc = await getDocument({ data, isEvalSupported: false, verbosity: 0 }).promise;
  const byName = new Map();
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    for (const a of await page.getAnnotations({ intent: "display" })) {
      if (a.annotationType !== 20 || !a.fieldName) continue; // 20: Widget
      if (!byName.has(a.fieldName)) byName.set(a.fieldName, []);
      byName.get(a.fieldName).push(a);
    }
  }
  const out = {};
  for (const [name, widgets] of byName) {
    const value = valueOf(widgets);
    if (value !== undefined) out[name] = value;
  }
  await doc.destroy();
  process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch((err) => {
  process.stderr.write(`read.mjs: ${err?.name ?? "Error"}: ${err?.message ?? err}\n${err?.stack ?? ""}\n`);
  process.exit(1);
});
