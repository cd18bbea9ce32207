"""Use cases: one function per user action, called by the command line and the app.
The store is private to this layer.
"""
