"""The personal-data policy of the operator (152-ФЗ ст. 18.1 ч. 2): what its page needs, for
the registry's page and the public section's."""

from registry.models import Organization
from registry.services import personal_data


def policy_context(institution: Organization | None) -> dict:
    return {
        "institution": institution,
        "grace_days": personal_data.GRACE_DAYS,
        "limit_days": personal_data.LEGAL_LIMIT_DAYS,
        "destroyed": personal_data.DESTROYED_CATEGORIES,
        "kept": personal_data.KEPT_FOR_STATISTICS,
    }
