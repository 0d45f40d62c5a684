"""Passwords refuse the words anyone could guess from the context (ASVS 5.0, 6.2)."""

from django.core.exceptions import ValidationError

from mentoring_site.lib.collation import normalize_for_search

CONTEXT_WORDS = [
    "наставник",
    "наставничество",
    "наставляемый",
    "куратор",
    "заведующий",
    "детский сад",
    "детсад",
    "nastavnik",
    "kurator",
    "password",
    "пароль",
]


class ContextWordsValidator:
    """Refuses a password that contains the institution's name or the product's words."""

    def validate(self, password, user=None):
        text = normalize_for_search(password).replace(" ", "")
        words = list(CONTEXT_WORDS)
        institution = getattr(user, "institution", None) if user is not None else None
        if institution is not None:
            words += [institution.short_name, institution.name]
        for word in words:
            needle = normalize_for_search(word).replace(" ", "")
            if len(needle) >= 4 and needle in text:
                raise ValidationError(
                    "Пароль не должен содержать слова, которые легко угадать: название "
                    "учреждения, «наставник», «куратор» и подобные.",
                    code="password_context_word",
                )

    def get_help_text(self):
        return (
            "Не используйте название учреждения, слова «наставник», «куратор» и подобные. "
            "Лучше всего — фраза из нескольких слов длиной от 15 символов."
        )
