"""Storage: the query snapshot, a verified cache of the answers every query command needs,
built from the domain's records and kept in the user's cache folder through ``fileio``.

Imports ``domain``, ``load`` and the base modules; only ``cli`` imports it.
"""
