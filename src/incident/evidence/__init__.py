"""Stage 1, evidence: the incident descriptor, loading and validating the raw tables."""
