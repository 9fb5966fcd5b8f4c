"""The dataset package: `pdfforms extract`, its workers, its tables and their columns."""
