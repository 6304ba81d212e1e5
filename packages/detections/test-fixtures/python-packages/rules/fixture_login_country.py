import pycountry

HOME_COUNTRIES = {"US", "CA"}


def _country(event):
    return pycountry.countries.get(alpha_2=event.get("country", ""))


def rule(event):
    country = _country(event)
    return country is not None and country.alpha_2 not in HOME_COUNTRIES


def title(event):
    country = _country(event)
    return f"Console login from {country.name} ({country.alpha_3})"


def alert_context(event):
    # A subdivision lookup reads a second data file of the package.
    subdivision = pycountry.subdivisions.get(code=event.get("region", ""))
    return {"region": subdivision.name if subdivision else None}
