def region_of(event):
    return event.get("awsRegion", "us-east-1")
