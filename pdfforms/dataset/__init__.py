"""Many returned files → one dataset: reading them in watched workers (extract,
workers), the journal that makes a run resumable, writing the tables, codebook,
ledger and manifest (build, columns, tables), reading them back (reader), and a
person's review decisions and how they apply (items, decisions).
"""
