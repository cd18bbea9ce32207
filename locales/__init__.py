"""Interface translations (gettext catalogs managed with Babel)."""
