"""A person finishes what the readers could not: `pdfforms review DATASET`.

- `session.py`: the queue of one dataset's decision items, who has which open
  (leases, one item per tab), and saving decisions to the log.
- `server.py`: the local web page that hands out items (page.html, page.js,
  page.css).

What a decision item is, the decision log and how decisions change the answers
belong to the dataset (dataset/items.py, dataset/decisions.py): `extract` applies
them too. Nothing imports this package.
"""
