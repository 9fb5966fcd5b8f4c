"""A reader process that dies when handed the page range holding one page of a split
scan file, and reads everything else with the real worker.

tests/dataset/test_split.py puts it in place of `python -m pdfforms.dataset.workers`:
a page that kills its reader (a hostile image, the memory limit) must fail its file
only, and the file must come out once, failed, with the pages named.
Its one argument is the page (1-based) that kills.
"""

from __future__ import annotations

import os
import sys

from pdfforms.dataset import workers

_real = workers.process_file


def process_file(path: str, options: dict, job: tuple | None = None) -> dict:
    if job is not None and job[0] == "pages" and job[1] <= int(sys.argv[1]) < job[2]:
        os._exit(3)
    return _real(path, options, job)


if __name__ == "__main__":
    workers.process_file = process_file
    workers.worker_main()
