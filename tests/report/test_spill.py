"""The free texts wait for the report's appendix in a temporary file, not in memory
(report/spill.py): health data, so the file is private and gone when the report is
written, and when it fails."""

from __future__ import annotations

import importlib
import os
import stat
import tempfile

import pytest

from pdfforms.report.spill import TextStore

from .conftest import html_tables, patients, response, run, write_dataset


def _texts_dataset(tmp_path, forms):
    patient = forms["patient"]
    answers = patients(patient, 12, seed=5, viktigast_nu="Att få träffa samma läkare varje gång")
    write_dataset(
        tmp_path / "p.csv", [patient], [response(patient, a, i) for i, a in enumerate(answers)]
    )
    return answers


@pytest.fixture
def spill_root(tmp_path, monkeypatch):
    """tempfile's folder for this test only, to see what is left in it."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def test_the_texts_are_in_a_private_file_removed_after_the_report(
    tmp_path, forms, spill_root, monkeypatch
):
    answers = _texts_dataset(tmp_path, forms)
    seen = []
    get = TextStore.get

    def looking_get(self, at):  # how the store looks while the report reads from it
        if not seen:
            folder = os.stat(self.folder)
            seen.append(
                (
                    stat.S_IMODE(folder.st_mode),
                    stat.S_IMODE(os.fstat(self.file.fileno()).st_mode),
                    os.listdir(self.folder),  # the file has no name
                    self.folder.startswith(str(spill_root)),
                )
            )
        return get(self, at)

    monkeypatch.setattr(TextStore, "get", looking_get)
    out = tmp_path / "r.html"
    result = run(tmp_path / "p.csv", "-o", out)
    assert result.exit_code == 0, result.output
    assert seen == [(0o700, 0o600, [], True)]
    assert list(spill_root.iterdir()) == []
    # the texts came back whole from the file, as many as were written
    texts = [t for key, items in html_tables(out).lists.items() for t in items]
    assert texts.count("Att få träffa samma läkare varje gång") == len(answers)


def test_the_file_is_removed_when_the_report_fails(tmp_path, forms, spill_root, monkeypatch):
    _texts_dataset(tmp_path, forms)
    made = []
    init = TextStore.__init__

    def counted_init(self):
        init(self)
        made.append(self.folder)

    monkeypatch.setattr(TextStore, "__init__", counted_init)
    pdf = importlib.import_module("pdfforms.report.pdf")

    def broken(*_args):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(pdf, "write_pdf", broken)
    report = importlib.import_module("pdfforms.report").report
    with pytest.raises(RuntimeError, match="drawing failed"):
        report([tmp_path / "p.csv"], tmp_path / "r.pdf")
    assert len(made) == 1
    assert list(spill_root.iterdir()) == []


def test_a_store_gives_back_what_was_written():
    with TextStore() as store:
        texts = store.texts()
        written = ["", "Åsa på vårdcentralen", "ett\nandra raden", "ليس لدي شيء", "x" * 70_000]
        texts.append(written[0])
        texts += written[1:3]
        texts.extend(written[3:])
        assert len(texts) == 5 and list(texts) == written and texts[2] == written[2]
        folder = store.folder
    assert not os.path.exists(folder)
