"""newsrack: fetch news sites politely, parse them, keep a versioned SQLite archive."""

__version__ = "0.1.0"
