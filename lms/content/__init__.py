"""Training content as code: reading, validating and syncing ``modules/``."""
