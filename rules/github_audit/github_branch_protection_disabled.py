"""Branch protection was removed from a repository: reviews, status checks and
the ban on force pushes stop guarding that branch, so unreviewed code (or a
rewritten history) can land on it."""

# The audit action GitHub writes when a branch protection rule is deleted.
PROTECTION_REMOVED = "protected_branch.destroy"


def _text(event, field, fallback):
    value = event.get(field)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return fallback


def repository(event):
    return _text(event, "repo", "an unknown repository")


def actor(event):
    return _text(event, "actor", "an unknown actor")


def rule(event):
    return event.get("action") == PROTECTION_REMOVED


def title(event):
    return f"Branch protection removed from {repository(event)} by {actor(event)}"


def dedup(event):
    # One alert per actor and repository: removing the rules of several
    # branches of a repository in one sitting is one change to review.
    return f"{repository(event)}|{actor(event)}"


def alert_context(event):
    return {
        "action": event.get("action"),
        "repo": event.get("repo"),
        # The branch pattern of the removed rule; GitHub sends it as "name".
        "branch": event.get("name"),
        "org": event.get("org"),
        "business": event.get("business"),
        "actor": event.get("actor"),
        "actor_id": event.get("actor_id"),
        "actor_ip": event.get("actor_ip"),
        "user_agent": event.get("user_agent"),
        "programmatic_access_type": event.get("programmatic_access_type"),
        "request_id": event.get("request_id"),
    }
