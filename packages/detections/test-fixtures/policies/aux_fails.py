def policy(resource):
    if isinstance(resource.get("MfaActive"), str):
        return "yes"
    return resource.get("MfaActive") is True


def title(resource):
    if resource["UserName"] == "boom":
        raise RuntimeError("title broke")
    return resource["UserName"]
