# Tenant code that, once it has run, makes every later answer of its
# interpreter claim that the batch held an event of another tenant.
import sys


def rule(event):
    harness = sys.modules["_caracal.harness"]
    harness._answer = lambda data, value: b'{"tenantMismatch": {"index": 0, "tenant": "someone-else"}}'
    return True
