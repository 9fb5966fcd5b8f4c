"""From a form to paper and screen: the fillable, printable PDF (render), what is
drawn over it (overlay), filling it (fields, fill) and print runs of many copies
(printrun, pdfstream, respondents). It never reads a PDF it did not make.
"""
