"""People, departments, cohorts, passwords, invitations, imports and mentoring links."""
