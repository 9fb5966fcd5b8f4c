"""A reader process that ends while the batch is handing it the next file, every time.

tests/dataset/test_workers.py puts it in place of `python -m pdfforms.dataset.workers` to
reproduce issue 13 item 11 deterministically. It speaks the real worker's protocol and reads
the files with the real `process_file`, but it takes the two files the batch hands
it at once (PREFETCH), then closes its input, as a process that has ended has,
before it answers either. The batch reads the first answer and sends the next file
into a pipe nobody reads any more: that write fails with a broken pipe.

How it ends after the first answer is its one argument:
  restart - the second answer asks for a fresh worker, as a reader fault does;
  crash   - it dies reading the second file (exit status 3), as a hostile file makes it.
"""

from __future__ import annotations

import os
import pickle
import sys

from pdfforms.dataset.workers import PREFETCH, process_file


def main() -> None:
    how = sys.argv[1]
    inp = sys.stdin.buffer
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    options = pickle.load(inp)
    pickle.dump(("ready", os.getpid()), out)
    out.flush()
    tasks = []
    while len(tasks) < PREFETCH:
        try:
            task = pickle.load(inp)
        except EOFError:
            break
        if task is None:
            break
        tasks.append(task)
    os.close(0)  # from here on, whatever the batch sends has no reader
    for n, (task_id, path) in enumerate(tasks):
        last = n == len(tasks) - 1 and n > 0
        if last and how == "crash":
            os._exit(3)
        record = process_file(path, options)
        if last:
            record["restart"] = True
        pickle.dump((task_id, record), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()


if __name__ == "__main__":
    main()
