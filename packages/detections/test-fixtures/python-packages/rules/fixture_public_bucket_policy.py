import boto3
from botocore.exceptions import BotoCoreError, ClientError
from fixture_aws_helpers import bucket_names, bucket_tag


def rule(event):
    # A removed policy always alerts; a new one unless the bucket is meant to be public.
    if event.get("eventName") == "DeleteBucketPolicy":
        return True
    if event.get("eventName") != "PutBucketPolicy":
        return False
    return bucket_tag(event.get("bucket"), "exposure") != "public"


def title(event):
    return f"Bucket policy of {event.get('bucket')} changed ({event.get('eventName')})"


def alert_context(event):
    # What an unmocked AWS call does inside a detection: it fails as botocore
    # reports a missing credential or an unreachable endpoint.
    outcome = {"boto3_version": boto3.__version__}
    try:
        outcome["buckets"] = bucket_names()
    except (BotoCoreError, ClientError) as exc:
        outcome["list_buckets_error"] = type(exc).__name__
    return outcome
