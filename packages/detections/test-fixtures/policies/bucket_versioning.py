def exempt_owner(_resource):
    return False


def policy(resource):
    # The reference hands a policy its resource as a plain dict, writable.
    assert type(resource) is dict, type(resource).__name__
    resource["seen"] = True
    if exempt_owner(resource):
        return True
    return resource.get("Versioning") == "Enabled"


def title(resource):
    return f"Bucket {resource['Name']} is not versioned"


def alert_context(resource):
    return {"bucket": resource["Name"]}
