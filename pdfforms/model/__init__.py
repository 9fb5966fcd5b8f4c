"""The shared model every step works on: a form and its loading, its layout, its
identity, the rules of answers, a parsed form, and personnummer (docs/architecture.md).

Pure: nothing here opens or writes a PDF, and it imports nothing of pdfforms from
outside itself.
"""
