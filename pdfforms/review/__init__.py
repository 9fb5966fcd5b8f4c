"""A person finishes what the readers could not: `pdfforms review DATASET`.

- `units.py`: the review items of a parsed form, grouped into what a person
  decides at once (one text box, one question's boxes, one unreadable page), and
  how a decision changes the answers.
- `log.py`: the decisions, appended to `stem.decisions.jsonl` beside the dataset
  with who and when; the newest decision on an item counts.
- `server.py`: the local web page that hands out items, one per tab.
"""
