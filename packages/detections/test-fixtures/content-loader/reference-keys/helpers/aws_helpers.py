def account_name(account_id):
    return {"123456789012": "prod"}.get(account_id, account_id)
