"""reader: a terminal reader for an offline archive of saved web articles."""

__version__ = "0.1.0"
