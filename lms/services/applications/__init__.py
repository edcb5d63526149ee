"""Application calls: windows, eligibility, drafts and submissions, review and decisions."""
