"""Synthetic respondents and scans, for the tests, the demo and the benchmarks.

Not used by the tool itself: `synthetic` makes plausible answers (and fills forms
as pypdf-based scripts do), `scans` makes hand-filled, printed and scanned pages
with known answers. Install with `pip install 'pdfforms[testing]'` (pypdf).
Everything is seeded: the same seed gives the same answers and the same images.
"""
