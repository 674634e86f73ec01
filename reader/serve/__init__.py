"""`reader serve`: the archive offered to other programs, read-only.

opds.py builds the OPDS catalogue's documents, catalogue.py maps paths to what to read
and answer, http.py is the server (the standard library's, threaded). No Textual here,
and no SQL: the archive is read through its own API.
"""
