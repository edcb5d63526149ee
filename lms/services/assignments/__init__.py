"""Mandatory assignments, their reminders and compliance."""
