"""Domain computations over a loaded catalog: pure functions of the data, one package per concern.

- ``numerals``: numbers written in Chinese text (used by ``checks`` and ``draft``); imports nothing.
- ``programme/``: what the programme says, as records: names users type (``vocab``), who a target
  or unit applies to (``scope``), dates and timing, quota and task queries, units, the agenda, the
  budget, the city-wide view and the timeline's layout. Imports ``load`` and ``numerals``.
- ``allocation/``: yearly integer allocation of a table's quotas (problem, solver, cache,
  explanation, records). Imports ``load`` only (and ``fileio`` for its cache).
- ``checks/``: every cross-file check of a data folder, by concern; ``checks.run`` is the pipeline.
  Imports ``programme``, ``numerals`` and ``load``.
- ``progress/``: what regions report (records, workbook cells, import) and the report's data.
  Imports ``programme``, ``allocation`` and ``load``.
- ``draft/``: the input pipeline from a document's text to a data folder. Imports ``checks``,
  ``programme``, ``numerals`` and ``load``.
- ``refine/``: a programme that refines a parent's (a county's under the city's): what the parent
  gives the region, the refinement check, the proposed split by weights, the units' progress
  behind the parent's regions. Imports ``programme``, ``allocation``, ``progress`` and ``load``.
- ``revision/``: what a revision of a data folder changes (``diff``), downstream included, and the
  rewrites that bring an older folder to today's format (``upgrade``). Imports ``programme``,
  ``allocation``, ``checks``, ``numerals`` and ``load``.
- ``review/``: what is left for a person to decide (proposals, 待核 items) and the decisions as
  text edits. Imports ``programme`` and ``load``.

Nothing here imports from ``storage``, ``output`` or ``cli`` (tests/test_layers.py).
"""
