"""Ally champions: per department, a directory, and each champion's participation record."""
