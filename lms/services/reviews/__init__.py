"""Mentor review of submitted reflections."""
