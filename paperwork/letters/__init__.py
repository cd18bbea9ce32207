"""Letter composition: a case and a kind become a neutral letter document; the
e-mail form of a letter.
"""
