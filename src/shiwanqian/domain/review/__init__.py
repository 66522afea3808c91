"""What is left for a person to decide in a data folder, and a person's decisions on it.

- ``items``: the proposals (targets ``draft`` proposed: ``review: proposed``) with their place in
  the data and the document, and the 待核 items listed in ``待核.md``;
- ``decide``: a decision (accept, change, drop a proposal; mark a 待核 item done) as the text
  edits that write it: the YAML edits at the proposal's position (``load.edit``) and the tick in
  ``待核.md``. Pure functions: the command reads and writes the files.

Imports ``load``, ``domain.programme`` and the base modules (not ``draft``: reviewing a folder
does not load the drafter).
"""
