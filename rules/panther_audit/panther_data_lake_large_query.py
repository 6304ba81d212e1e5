"""A data-lake query that returned or scanned far more than analysts need:
bulk collection of logs (which hold credentials, personal data and the map
of the estate) ahead of exfiltration."""

from collections.abc import Mapping

from panther_audit_helpers import actor_context, actor_description, actor_key, as_number, input_field, succeeded

QUERY_ACTIONS = ("EXECUTE_DATA_LAKE_QUERY", "DOWNLOAD_DATA_LAKE_QUERY", "EXECUTE_INDICATOR_SEARCH_QUERY")

# An investigation reads thousands of rows; 100,000 in one result or 10 GiB
# scanned is a dump. Both are fixed limits, not a baseline per actor: the
# audit event carries the size of one query only.
MAX_ROWS = 100_000
MAX_BYTES_SCANNED = 10 * 1024**3

# Where the size is written in actionDetails: Caracal writes rowCount; other
# writers put statistics flat or under "stats".
ROW_FIELDS = ("rowCount", "rowsReturned", "rows")
BYTE_FIELDS = ("bytesScanned", "scannedBytes", "bytes_scanned")


def _largest(details, fields):
    found = []
    for holder in (details, details.get("stats")):
        if isinstance(holder, Mapping):
            for field in fields:
                value = as_number(holder.get(field))
                if value is not None:
                    found.append(value)
    return max(found) if found else None


def sizes(event):
    details = event.get("actionDetails")
    if not isinstance(details, Mapping):
        return None, None
    return _largest(details, ROW_FIELDS), _largest(details, BYTE_FIELDS)


def rule(event):
    if event.get("actionName") not in QUERY_ACTIONS or not succeeded(event):
        return False
    rows, scanned = sizes(event)
    return (rows is not None and rows >= MAX_ROWS) or (scanned is not None and scanned >= MAX_BYTES_SCANNED)


def title(event):
    rows, scanned = sizes(event)
    parts = []
    if rows is not None and rows >= MAX_ROWS:
        parts.append(f"{int(rows):,} rows")
    if scanned is not None and scanned >= MAX_BYTES_SCANNED:
        parts.append(f"{scanned / 1024**3:.1f} GiB scanned")
    return f"Data lake query of {' and '.join(parts)} by {actor_description(event)}"


def dedup(event):
    return f"actor:{actor_key(event)}"


def alert_context(event):
    rows, scanned = sizes(event)
    context = actor_context(event)
    context["rows"] = rows
    context["bytes_scanned"] = scanned
    context["query_id"] = event.deep_get("actionDetails", "queryId")
    sql = input_field(event, "sql")
    context["sql"] = sql[:2000] if isinstance(sql, str) else None
    return context
