"""Domain logic as plain functions. Services flush, never commit, never read the request."""
