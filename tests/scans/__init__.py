"""Synthetic scans of filled paper forms: test material for the scan reader."""
