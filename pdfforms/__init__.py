"""pdfforms: questionnaires in YAML → fillable, printable PDF forms → JSON and datasets."""

__version__ = "0.1.0"
