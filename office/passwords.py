"""Password rules from the security administrator's policy (FIELD_NOTES.md: 等保 asks for
complexity and periodic change, ASVS advises against both — so it is her setting)."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import SecurityPolicy

CLASSES = (
    (re.compile(r"[A-Z]"), "大写字母"),
    (re.compile(r"[a-z]"), "小写字母"),
    (re.compile(r"[0-9]"), "数字"),
    (re.compile(r"[^A-Za-z0-9]"), "符号"),
)


class PolicyValidator:
    def validate(self, password, user=None):
        policy = SecurityPolicy.current()
        errors = []
        if len(password) < policy.min_length:
            errors.append(f"密码至少需要 {policy.min_length} 个字符。")
        present = sum(1 for pattern, _ in CLASSES if pattern.search(password))
        if policy.required_classes and present < policy.required_classes:
            errors.append(
                f"密码须包含大写字母、小写字母、数字、符号中的至少 {policy.required_classes} 类。"
            )
        if errors:
            raise ValidationError(errors, code="password_policy")

    def get_help_text(self):
        policy = SecurityPolicy.current()
        text = f"密码至少 {policy.min_length} 个字符"
        if policy.required_classes:
            text += f"，包含大写字母、小写字母、数字、符号中的至少 {policy.required_classes} 类"
        return text + "。"


# A password set by the security administrator (a new account, a reset) is stamped with this
# date so that its owner must change it at the next sign-in, whatever the policy's maximum age.
FORCE_CHANGE_AT = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def password_expired(user, *, policy=None):
    """Whether the password must be changed now: one set by an administrator, or one older than
    the policy's maximum age (0 days: no periodic change)."""
    if user.password_changed_at <= FORCE_CHANGE_AT:
        return True
    policy = policy or SecurityPolicy.current()
    if not policy.max_age_days:
        return False
    return user.password_changed_at <= timezone.now() - datetime.timedelta(days=policy.max_age_days)
