"""Data loading: YAML with positions (``yamlpos``), the pydantic models of the data files
(``model``), the catalog of one data folder (``loader``), where that folder is (``datadir``),
the JSON Schemas generated from the models (``schemas``), progress reports (``progress``)
and the cell values of returned workbooks (``workbook``).

Nothing here imports from ``domain``, ``output`` or ``cli``.
"""
