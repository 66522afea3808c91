"""Outputs: terminal tables, JSON, CSV and Markdown (``render``; Chinese line breaking of text
wrapped to the terminal in ``linebreak``), and the files for people who work in Excel/WPS and
calendars: ``xlsx`` (a workbook) and ``ics`` (a calendar); the new data folders ``init`` writes
(``scaffold``, ``scaffold_child``) and a proposed split (``split``).

The file builders are pure functions from a loaded catalog and options to deterministic bytes;
the commands write the bytes. openpyxl and icalendar are imported inside the functions, so they
never load on the everyday commands. Imports from ``load`` and ``domain``, never from ``cli``.
"""
