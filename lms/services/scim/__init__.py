"""Provisioning from the HR system over SCIM 2.0: tokens and people and groups."""
