def get_kind(event):
    return f"kind:{event.get('action')}"
