"""A data lake query that reads whole log tables without a small LIMIT, then
downloaded: the shape of bulk exfiltration through the console."""

import re

from bench_audit_helpers import action_input, actor_label, audit_context, succeeded

QUERY_ACTIONS = frozenset({"EXECUTE_DATA_LAKE_QUERY", "DOWNLOAD_DATA_LAKE_QUERY"})
WHOLE_TABLE = re.compile(r"\bselect\s+\*\s+from\s+(panther_logs|panther_rule_matches)\.(\w+)", re.IGNORECASE)
LIMIT = re.compile(r"\blimit\s+(\d+)\s*;?\s*$", re.IGNORECASE)
SMALL_LIMIT = 10_000


def _sql(event):
    sql = action_input(event).get("sql")
    return sql if isinstance(sql, str) else ""


def rule(event):
    if event.get("actionName") not in QUERY_ACTIONS or not succeeded(event):
        return False
    sql = _sql(event)
    if not WHOLE_TABLE.search(sql):
        return False
    limit = LIMIT.search(sql.strip())
    return limit is None or int(limit.group(1)) > SMALL_LIMIT


def title(event):
    table = WHOLE_TABLE.search(_sql(event))
    return f"{actor_label(event)} read all of {table.group(1)}.{table.group(2)} from the data lake"


def dedup(event):
    return f"{actor_label(event)}:{WHOLE_TABLE.search(_sql(event)).group(2)}"


def alert_context(event):
    return audit_context(event, sql=_sql(event)[:500])
