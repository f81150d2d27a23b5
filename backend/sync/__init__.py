"""The sync engine: push (apply client mutations) and pull (hand out changes by cursor)."""
