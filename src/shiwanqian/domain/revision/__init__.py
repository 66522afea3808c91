"""What a revision of a data folder changes: the records of each folder keyed by what they are
(``facts``), the pairing of plans, tables and targets that were renamed or re-transcribed
(``pairing``), the comparison field by field (``compare``), the effects downstream — yearly
allocations, budgets by region, each unit's tasks, the findings of ``check`` — computed by the
existing allocation, budget, task and check code (``effects``), the narrowing by region, unit or
plan (``narrow``), and the result with its flat records (``changes``).

``upgrade`` plans the rewrites that bring a folder written for an older version to today's
format, as edits of the YAML text (comments and layout kept), without changing what it says.

Imports ``load``, ``domain.numerals``, ``domain.programme``, ``domain.allocation`` and
``domain.checks``; nothing here prints, exits or writes a file.
"""
