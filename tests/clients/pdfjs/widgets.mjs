// Print what pdf.js (Firefox's viewer) knows of every widget of a PDF form:
// the flags and actions its AnnotationLayer acts on.
//
//   node widgets.mjs file.pdf      (or the PDF's raw bytes on stdin)
//
// stdout: a JSON list, one object per widget, in page order:
//   {"page", "field", "type" (Tx/Btn/Ch), "required", "multiLine", "doNotScroll",
//    "actions": {"<event>": ["<JavaScript>", ...]}}
// `required` is what the AnnotationLayer turns into `required` and
// `aria-required` on the widget's HTML element (the outline Firefox draws);
// `actions` are the form scripts pdf.js runs in its scripting sandbox
// (Keystroke, Validate, Format, …).
// stderr + exit code 1 on failure.

import { readFileSync } from "node:fs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

async function readInput() {
  if (process.argv[2]) return readFileSync(process.argv[2]);
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function main() {
  const data = new Uint8Array(await readInput());
  const doc = await getDocument({
    data,
    useSystemFonts: false,
    isEvalSupported: false,
    stopAtErrors: true,
    verbosity: 0,
  }).promise;
  const out = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    for (const a of await page.getAnnotations({ intent: "display" })) {
      if (a.annotationType !== 20 || !a.fieldName) continue; // 20: Widget
      out.push({
        page: n,
        field: a.fieldName,
        type: a.fieldType,
        required: Boolean(a.required),
        multiLine: Boolean(a.multiLine),
        doNotScroll: Boolean(a.doNotScroll),
        actions: a.actions ?? {},
      });
    }
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  process.stderr.write(`widgets.mjs: ${err?.stack ?? err}\n`);
  process.exit(1);
});
