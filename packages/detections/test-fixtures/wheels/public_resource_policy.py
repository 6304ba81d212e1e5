"""A resource policy that lets anyone on the internet in, set by a principal of
another account within a month of the resource's creation: a fresh bucket or
queue being opened up from outside is how data gets staged for exfiltration."""

import json

from dateutil import parser, tz
from dateutil.relativedelta import relativedelta
from policyuniverse.arn import ARN
from policyuniverse.policy import Policy

# Calendar months, not 30 days: created on Jan 31, the window ends on Feb 29.
NEW_RESOURCE_WINDOW = relativedelta(months=1)


def _moment(value):
    moment = parser.parse(value)
    # Timestamps without a zone are UTC (the p_ fields and most audit logs).
    return moment if moment.tzinfo else moment.replace(tzinfo=tz.UTC)


def _policy(event):
    return Policy(json.loads(event.deep_get("requestParameters", "policyDocument", default="{}")))


def _caller(event):
    return ARN(event.deep_get("userIdentity", "arn", default=""))


def rule(event):
    if not _policy(event).is_internet_accessible():
        return False
    caller_account = _caller(event).account_number
    if caller_account is None or caller_account == event.get("recipientAccountId"):
        return False
    created = _moment(event.get("resourceCreatedAt"))
    return _moment(event.get("eventTime")) <= created + NEW_RESOURCE_WINDOW


def title(event):
    return (
        f"{_caller(event).name} of account {_caller(event).account_number} opened "
        f"{event.deep_get('requestParameters', 'resourceArn')} to the internet"
    )


def dedup(event):
    return event.deep_get("requestParameters", "resourceArn", default="unknown resource")


def alert_context(event):
    zone_name = event.get("ownerTimeZone", "UTC")
    zone = tz.gettz(zone_name)
    if zone is None:
        # Without time zone data every zone is unknown; say so rather than show UTC.
        raise LookupError(f"unknown time zone {zone_name!r}")
    return {
        "caller_account": _caller(event).account_number,
        "internet_accessible_actions": sorted(_policy(event).internet_accessible_actions()),
        "owner_local_time": _moment(event.get("eventTime")).astimezone(zone).isoformat(),
    }
