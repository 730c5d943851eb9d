"""Network analysis: graphs built from plain id arrays and the metrics computed on them.

``graphs`` and ``metrics`` import nothing from Django; a loader that reads the database
sits beside them and hands them arrays.
"""
