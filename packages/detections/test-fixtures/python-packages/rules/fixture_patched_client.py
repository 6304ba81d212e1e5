from unittest import mock

import boto3
from fixture_aws_helpers import bucket_tag


def rule(event):
    # unittest.mock patching boto3 for the helper module too: the way content
    # unit tests stand in for AWS.
    client = mock.MagicMock()
    client.get_bucket_tagging.return_value = {"TagSet": [{"Key": "exposure", "Value": event.get("exposure")}]}
    with mock.patch.object(boto3, "client", return_value=client) as patched:
        exposure = bucket_tag(event.get("bucket"), "exposure")
    patched.assert_called_once_with("s3", region_name="us-east-1")
    return exposure == "public"
