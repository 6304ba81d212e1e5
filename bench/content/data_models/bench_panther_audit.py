"""Standard event types for Panther.Audit actions, so that rules written for
several log types can ask one question."""

EVENT_TYPES = {
    "UPDATE_SAML_SETTINGS": "saml_config_modified",
    "CREATE_USER_ROLE": "role_created",
    "UPDATE_USER_ROLE": "role_modified",
    "DELETE_USER_ROLE": "role_deleted",
    "CREATE_USER": "user_created",
    "UPDATE_USER": "user_modified",
    "DELETE_USER": "user_deleted",
    "RESET_USER_PASSWORD": "user_password_reset",
    "CREATE_API_TOKEN": "api_token_created",
    "UPDATE_API_TOKEN": "api_token_modified",
    "DELETE_API_TOKEN": "api_token_deleted",
    "SIGN_IN": "successful_login",
}


def get_event_type(event):
    event_type = EVENT_TYPES.get(event.get("actionName"))
    if event_type == "successful_login" and event.get("actionResult") != "SUCCEEDED":
        return "failed_login"
    return event_type
