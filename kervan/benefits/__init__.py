"""Benefits for temporary residence: kinds configured per state with eligibility rules in the
measure scope language, applications decided by officers, and grants to every eligible person."""
