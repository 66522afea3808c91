"""Files for people who work in Excel/WPS and calendars: ``xlsx`` (a workbook) and ``ics`` (a calendar).

Each module holds pure functions from a loaded :class:`~shiwanqian.loader.Catalog` and options to
an object (openpyxl ``Workbook``, icalendar ``Calendar``) and to deterministic bytes; the command
(:mod:`shiwanqian.cli.export`) writes the bytes atomically. openpyxl and icalendar are imported
inside the functions, so they never load on the everyday commands.
"""
