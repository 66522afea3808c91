"""Yearly integer allocation of a quota table: the problem (``records.allocation_problem``), the
exact controlled rounding and the largest-remainder comparison (``solver``), the verified cache of
solved allocations (``cache``), the explanation in words (``explain``) and the yearly records
(``records``).

Imports ``load`` and the base modules only; OR-tools is imported inside the solver.
"""
