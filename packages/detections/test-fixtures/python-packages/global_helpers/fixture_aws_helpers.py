# Imports boto3 at module level, as shared AWS helpers do: every rule that
# imports this module needs boto3 importable to load at all.
import boto3


def bucket_tag(bucket, key):
    """One tag of the bucket, asked of S3; a detection process has neither
    credentials nor network, so unmocked this raises botocore's error."""
    client = boto3.client("s3", region_name="us-east-1")
    for tag in client.get_bucket_tagging(Bucket=bucket)["TagSet"]:
        if tag["Key"] == key:
            return tag["Value"]
    return None


def bucket_names():
    client = boto3.client("s3", region_name="us-east-1")
    return [bucket["Name"] for bucket in client.list_buckets()["Buckets"]]
