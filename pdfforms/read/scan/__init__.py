"""Read scanned paper forms: identify every page, align it, and read its marks.

A scan is image-only: a PDF of page images, or PNG/JPEG/TIFF files. Each page
is drawn at SCAN_DPI (pages.py), and then:

1. **Identified** (identify.py) by its QR code (form, version, language, page/pages, serial);
   the code's orientation also tells a page fed upside down or sideways. A
   page whose code cannot be read is compared with the missing pages of the
   questionnaires in the same file and placed only if it clearly is one.
2. **Aligned** (align.py): the four corner marks are found and the layout is mapped onto
   them by a least-squares affine fit, which absorbs rotation, "fit to page"
   scaling and shift. The fit's residual is reported; a page that cannot be
   aligned goes to review whole.
3. **Read** (ink.py): the page's paper (a grey closing: tints and shadows are paper)
   and its noise floor are measured; each tick box is found by its printed
   border and the ink inside it is decided ticked, empty or uncertain, and ink
   around it or its option's words that no mark explains sends it to a
   person; text boxes are decided written or empty, and written ones are
   cropped for a person to transcribe (see read/ocr.py for where machine reading
   would plug in). What lies between paper and firm ink is never "empty".

The thresholds below were set on synthetic scans (pdfforms/testing/scans.py) and are checked
by `make bench` on thousands of pages; each says how it was measured.
"""
