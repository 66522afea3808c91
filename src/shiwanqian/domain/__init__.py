"""Domain computations over a loaded catalog: cross-file checks (``checks``), selections
(``queries``), integer allocation (``allocate`` and its cache), the timeline's layout, name
resolution (``vocab``) and the query-ready snapshot.

Pure functions of the data; imports only from ``load`` and the package's base modules
(``findings``, ``fileio``), never from ``output`` or ``cli``.
"""
