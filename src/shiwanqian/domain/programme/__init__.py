"""What the programme says, as plain records: the names users type resolved to the data's
(``vocab``), who a target or unit applies to (``scope``), the one mapping of timing to dates
(``timing``, ``dates``), what a region owes (``queries``), tasks and their selection (``tasks``),
responsibility between units (``units``), the agenda, the budget, the city-wide view (``city``)
and the timeline's layout.

Imports ``load`` (models, mostly for typing) and ``domain.numerals``; no other domain package.
"""
