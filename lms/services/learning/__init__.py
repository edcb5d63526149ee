"""Progress through modules, challenge drafts and submissions, evaluation surveys."""
