"""gcmtrack: validate, store, score and report GCM progress workbooks for regional reviews."""

__version__ = "0.1.0"
