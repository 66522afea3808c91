"""Data loading: YAML with positions (``yamlpos``), the pydantic models of the data files
(``model``), the catalog of one data folder (``loader``), where that folder is (``datadir``)
and the JSON Schemas generated from the models (``schemas``).

Nothing here imports from ``domain``, ``output`` or ``cli``.
"""
