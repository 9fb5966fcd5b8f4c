// Render the pages of a PDF the way pdf.js (Firefox's viewer) paints them, as PNGs.
//
//   node render.mjs < request.json > response.json
//
// stdin:  {"pdf": "<base64 of the PDF>", "dpi": 100, "pages": [1, 2, ...] | null,
//          "mode": "L" | "RGB"}
//         dpi defaults to 100; pages (1-based) to null, every page; mode to "L".
// stdout: {"pages": ["<base64 PNG>", ...], "ms": [<render time per page>, ...]}
//         one 8-bit PNG per requested page, in the order asked: grayscale ("L",
//         luma 0.299 R + 0.587 G + 0.114 B, as Pillow's convert("L")) or RGB.
// stderr: the reason, with exit code 1, on any failure (a bad request, a page
//         out of range, a pdf.js error, `@napi-rs/canvas` missing).
//
// How: pdf.js's own node example (examples/node/pdf2png at v5.6.205) with the
// v5 API. `getDocument` in node uses its NodeCanvasFactory, which creates
// `@napi-rs/canvas` canvases (an optional dependency of pdfjs-dist; without it
// nothing can be drawn); `doc.canvasFactory.create(w, h)` gives one, and
// `page.render({canvas, viewport})` draws into it (v5's `canvas` parameter; the
// older `canvasContext` is kept only for backwards compatibility).
//
// What is drawn: `annotationMode: AnnotationMode.ENABLE` with the "display"
// intent, so every widget's appearance stream (/AP, the /AS state of a button)
// is painted into the canvas, as in Firefox's print preview of an unedited
// file. In the viewer itself (ENABLE_FORMS) Firefox leaves form widgets out of
// the canvas and lays HTML <input>s over it, which this script does not draw;
// what those inputs show is what read.mjs reports.
//
// Fonts: in node pdf.js does not use system fonts or @font-face; glyphs are drawn
// as paths from the PDF's embedded fonts, and a non-embedded standard font from
// the files pdfjs-dist ships in `standard_fonts/` (Helvetica → Liberation Sans,
// Times → Foxit Serif, ...), which `standardFontDataUrl` points it to. Without
// that, pdf.js falls back to the canvas's own font, further from other viewers.
// Firefox uses system fonts for non-embedded ones, so glyph shapes can differ.
//
// Size: the page box times dpi / 72, rounded *up* to whole pixels (as PDFium and
// pypdfium2 do), so renders from both have the same size; the part pixel at the
// right and bottom edge is left white.

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { deflateSync, crc32 } from "node:zlib";
import { AnnotationMode, getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const require = createRequire(import.meta.url);
const PDFJS_DIR = dirname(require.resolve("pdfjs-dist/package.json"));
// Must end in a path separator: pdf.js appends the file name.
const STANDARD_FONT_DATA_URL = join(PDFJS_DIR, "standard_fonts") + "/";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function fail(message) {
  process.stderr.write(`render.mjs: ${message}\n`);
  process.exit(1);
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

// An 8-bit grayscale (channels 1) or RGB (channels 3) PNG of RGBA pixels, each
// composited over white first (pdf.js paints a white background, so alpha is
// 255 everywhere unless a page is drawn with a transparent one).
function encodePng(rgba, width, height, channels) {
  const stride = width * channels + 1; // a filter byte (0, None) starts each row
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    let o = y * stride + 1;
    let i = y * width * 4;
    for (let x = 0; x < width; x++, i += 4) {
      const a = rgba[i + 3];
      const over = (v) => (v * a + 255 * (255 - a) + 127) / 255;
      const r = over(rgba[i]);
      const g = over(rgba[i + 1]);
      const b = over(rgba[i + 2]);
      if (channels === 1) {
        raw[o++] = Math.round((r * 299 + g * 587 + b * 114) / 1000);
      } else {
        raw[o++] = Math.round(r);
        raw[o++] = Math.round(g);
        raw[o++] = Math.round(b);
      }
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = channels === 1 ? 0 : 2; // colour type: grayscale / truecolour
  ihdr[10] = ihdr[11] = ihdr[12] = 0; // deflate, adaptive filtering, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

async function main() {
  const request = JSON.parse(await readStdin());
  if (typeof request.pdf !== "string") {
    fail('expected {"pdf": "<base64>", "dpi": 100, "pages": [1, ...] | null} on stdin');
  }
  const dpi = request.dpi ?? 100;
  if (typeof dpi !== "number" || !(dpi > 0) || dpi > 1200) {
    fail(`dpi must be a number in (0, 1200], not ${JSON.stringify(request.dpi)}`);
  }
  const mode = request.mode ?? "L";
  if (mode !== "L" && mode !== "RGB") fail(`mode must be "L" or "RGB", not ${JSON.stringify(mode)}`);
  try {
    require.resolve("@napi-rs/canvas");
  } catch {
    fail("@napi-rs/canvas is not installed (pdf.js draws with it in node): run `npm ci` here");
  }

  const data = new Uint8Array(Buffer.from(request.pdf, "base64"));
  const doc = await getDocument({
    data,
    standardFontDataUrl: STANDARD_FONT_DATA_URL,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;

  let numbers = request.pages ?? null;
  if (numbers === null) numbers = Array.from({ length: doc.numPages }, (_, i) => i + 1);
  if (!Array.isArray(numbers)) fail(`pages must be a list or null, not ${JSON.stringify(numbers)}`);
  for (const n of numbers) {
    if (!Number.isInteger(n) || n < 1 || n > doc.numPages) {
      fail(`no page ${JSON.stringify(n)}: the PDF has pages 1 to ${doc.numPages}`);
    }
  }

  const pages = [];
  const ms = [];
  for (const n of numbers) {
    const start = performance.now();
    const page = await doc.getPage(n);
    const viewport = page.getViewport({ scale: dpi / 72 });
    const width = Math.ceil(viewport.width - 1e-6);
    const height = Math.ceil(viewport.height - 1e-6);
    const { canvas, context } = doc.canvasFactory.create(width, height);
    await page.render({
      canvas,
      viewport,
      intent: "display",
      annotationMode: AnnotationMode.ENABLE,
    }).promise;
    const pixels = context.getImageData(0, 0, width, height).data;
    pages.push(encodePng(pixels, width, height, mode === "L" ? 1 : 3).toString("base64"));
    ms.push(Math.round(performance.now() - start));
    doc.canvasFactory.destroy({ canvas, context });
    page.cleanup();
  }
  await doc.destroy();
  const out = JSON.stringify({ pages, ms }) + "\n";
  await new Promise((resolve, reject) =>
    process.stdout.write(out, (err) => (err ? reject(err) : resolve())),
  );
}

main().catch((err) => fail(`${err?.name ?? "Error"}: ${err?.message ?? err}\n${err?.stack ?? ""}`));
