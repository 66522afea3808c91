"""Progress against the programme, in the order a report is made:

- ``basis``: what every region owes and when (quota by 学段 and year, tasks' due dates), as
  plain data the query snapshot can carry;
- ``cells``: the reports resolved into one figure or status per cell, later corrections winning;
- ``validate``: the cross-checks of reports against the basis;
- ``report``: the records ``progress`` prints (达成度, statuses, tasks due, the ranking);
- ``workbook`` and ``importing``: the cells of a returned progress workbook, checked and turned
  into a report.

Imports ``domain.programme``, ``domain.allocation`` and ``load``; reading .xlsx files is
``load.workbook``'s.
"""
