def kind_of(event):
    return f"{event.get('check')}:{event.deep_get('actor', 'type', default='none')}"
