"""A programme that refines a parent programme (a county's own under the city's):

- ``parent``: what the parent gives the region, table by table (its figures by 学段 and year,
  with their citations), read from the parent's query snapshot;
- ``check``: the refining programme held to those figures (sums by 学段 and year, periods);
- ``split``: a proposed split of the parent's figures over this programme's regions, by
  declared weights, with the same exact controlled rounding as ``allocate``;
- ``rollup``: the refining programmes' progress behind the parent's regions.

Imports ``load``, ``domain.programme``, ``domain.allocation``, ``domain.progress`` and the base
modules; the parent's snapshot comes from the command, which reads it (``storage``).
"""
