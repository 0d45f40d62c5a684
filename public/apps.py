from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The section «Наставничество» of the kindergarten's site (п. 8): the visitors' pages and
    their editing. Its models (``PublicSection``, ``PublicDocument``, ``NewsItem``) are kept in
    ``registry/models/public.py``, where their migrations are."""

    name = "public"
    verbose_name = "Раздел «Наставничество»"
