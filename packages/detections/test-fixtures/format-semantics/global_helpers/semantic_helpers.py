def raises(exc_type, func):
    """True when func() raises exc_type: the fixture rules check refusals with it."""
    try:
        func()
    except exc_type:
        return True
    return False
