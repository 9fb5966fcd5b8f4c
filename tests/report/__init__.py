"""`pdfforms report`: the Sammanställning, checked against counts made independently.

Datasets are written here through the same code `extract` uses (FormTable,
DatasetFiles, the manifest) from synthetic answers that the tests keep; the
expected counts are computed from those answers (conftest.py), never by the
report's own counting code. One test runs the real pipeline: filled PDFs →
extract → report.
"""
