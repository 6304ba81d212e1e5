def is_admin(name):
    return name == "admin"
