"""Live sessions: trainings, offerings, registration, mail, calendars, raffle, team requests."""
