"""The systems around pdfforms: FHIR R4 and XLSForm, in and out.

`fhir` turns a FHIR Questionnaire into a definition and a definition into one, and
writes a returned form as a QuestionnaireResponse; `xlsform` reads an XLSForm
workbook (ODK, KoboToolbox) into a definition. What cannot be carried over is
listed, never dropped in silence.
"""
