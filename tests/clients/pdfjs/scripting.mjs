// Run a PDF's form scripts in pdf.js's own scripting sandbox (the QuickJS one Firefox
// runs), as Firefox does when a person types into a field and leaves it.
//
//   node scripting.mjs < request.json
//
// stdin:  {"pdf": "<base64 of the PDF>", "typed": [["<field name>", "<text>"], ...]}
// stdout: a JSON list, one entry per typed text, in order:
//   {"field", "value", "alerts": [<app.alert texts>], "updates": [<what the sandbox
//    sent back to the viewer for that field: a changed value would be here>]}
// stderr + exit code 1 on failure.
//
// For each text, the AnnotationLayer's commit on blur is sent: a Keystroke event with
// willCommit (pdf.js `annotation_layer.js`), after which the sandbox runs the field's
// Validate action and then any Calculate and Format. The viewer's `window` is a
// stand-in that records alerts and the sandbox's "updatefromsandbox" events.

import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

let alerts = [];
let updates = [];
globalThis.window = {
  setTimeout,
  clearTimeout,
  setInterval,
  clearInterval,
  URL,
  console,
  alert: (message) => alerts.push(message),
  confirm: () => false,
  prompt: () => null,
  CustomEvent: class {
    constructor(type, init) {
      this.type = type;
      this.detail = init?.detail;
    }
  },
  dispatchEvent: (event) => updates.push(event.detail),
};

async function main() {
  const request = JSON.parse(await readStdin());
  const data = new Uint8Array(Buffer.from(request.pdf, "base64"));
  const doc = await getDocument({
    data,
    useSystemFonts: false,
    isEvalSupported: false,
    stopAtErrors: true,
    verbosity: 0,
  }).promise;
  const objects = await doc.getFieldObjects();
  const { QuickJSSandbox } = await import("pdfjs-dist/legacy/build/pdf.sandbox.mjs");
  const sandbox = await QuickJSSandbox();
  sandbox.create({
    objects,
    calculationOrder: (await doc.getCalculationOrderIds()) ?? [],
    appInfo: { platform: "Linux x86_64", language: "sv-SE" },
    docInfo: { actions: (await doc.getJSActions()) ?? {} },
  });
  const out = [];
  for (const [field, value] of request.typed) {
    const widgets = objects?.[field];
    if (!widgets) throw new Error(`no field named ${JSON.stringify(field)}`);
    alerts = [];
    updates = [];
    sandbox.dispatchEvent({
      id: widgets[0].id,
      name: "Keystroke",
      value,
      willCommit: true,
      commitKey: 1,
      selStart: value.length,
      selEnd: value.length,
    });
    out.push({ field, value, alerts, updates: updates.filter((u) => u && u.id === widgets[0].id) });
  }
  sandbox.nukeSandbox();
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  process.stderr.write(`scripting.mjs: ${err?.stack ?? err}\n`);
  process.exit(1);
});
