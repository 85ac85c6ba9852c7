"""Benefits for temporary residence: kinds configured per state with eligibility rules in the
measure scope language, applications decided by officers, and grants to every eligible person."""


def install() -> None:
    """Let measures in force grant benefits (their ``grant_benefit`` actions)."""
    from kervan.benefits.measure_grants import grant_by_measure
    from kervan.measures.service import on_measure_pass

    on_measure_pass(grant_by_measure)
