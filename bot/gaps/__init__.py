"""Content gaps: what the coach could not answer, grouped for the course's authors."""
