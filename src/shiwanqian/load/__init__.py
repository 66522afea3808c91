"""Data loading: YAML with positions (``yamlpos``), the pydantic models of the data files
(``model`` on the shared base and field types of ``fields``; progress reports' in ``progress_model``;
a refining programme's link to its parent, and where the parent's folder is, in ``parent``), the catalog of one data folder (``loader``),
where that folder is (``datadir``), the JSON Schemas generated from the models (``schemas``),
progress reports (``progress``), the cell values of returned workbooks (``workbook``), a folder
as a git revision holds it (``gitrev``) and edits of a YAML file's text that keep its comments
and layout (``yamledit``: keys inserted, values set, entries and list items removed).

Nothing here imports from ``domain``, ``output`` or ``cli``.
"""
