"""The domain: plain data classes, the case-file schema, deadline and ladder rules,
the letter catalogue, page layouts and translations. Imports no storage, renderer,
service or user interface.
"""
