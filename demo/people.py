from staffing.identity import check_character


def id_number(serial: int) -> str:
    """A fictitious, well-formed ID number of a demo staff member."""
    first17 = f"5101041990{serial:04d}{serial % 1000:03d}"
    return first17 + check_character(first17)
