"""The demo's public section «Наставничество» (п. 8.1): published at /nastavnichestvo/ds64/ with
its texts, the text of the Положение among the local acts, a link to the federal law, an
announcement and a piece of news. ``mentoring_site/demo/loader.py`` calls ``load_demo``."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from public.services import (
    document_save,
    news_save,
    section_for,
    section_settings_save,
    section_text_save,
)
from registry.models import NewsItem, PublicDocument, User

ABOUT = """Система (целевая модель) наставничества педагогических работников детского сада
помогает молодым специалистам и педагогам, которые осваивают новое, войти в профессию и
расти в ней.

**Сроки:** персонализированная программа наставничества — от трёх месяцев до года
(п. 1.2 Положения).

Пары и группы закрепляются приказом заведующего, программы утверждает куратор; результаты
завершённых программ публикуются здесь после их завершения (п. 8.2 Положения)."""

RECOMMENDATIONS = """- Начинайте программу с установочной встречи: договоритесь о графике
  и о том, как наставляемый сообщает о выполненных заданиях.
- Планируйте мероприятия по каждому профессиональному затруднению наставляемого.
- Раз в месяц сверяйте план: что сделано, что перенести."""


# The regulation of ГБДОУ детский сад № 64 (2022) as the kindergarten publishes it (a copy).
REGULATION = Path(__file__).with_name("demo_regulation.md")


def load_demo(*, institution, today) -> None:
    sysadmin = User.objects.get(institution=institution, username="sysadmin")
    section = section_for(institution)
    section.is_published = True
    section.contact_position = "старший воспитатель"
    section.contact_email = "nastavnik@ds64.example"
    section_settings_save(section=section, institution=institution, slug="ds64")
    section_text_save(section=section, page="about", text=ABOUT)
    section_text_save(section=section, page="recommendations", text=RECOMMENDATIONS)
    document_save(
        document=PublicDocument(
            level=PublicDocument.Level.LOCAL_ACT,
            title="Положение о системе (целевой модели) наставничества педагогических работников",
            note="Принято Управляющим советом, протокол от 31.08.2022 № 3; утверждено приказом "
            "от 31.08.2022 № 94/1",
            text=REGULATION.read_text(encoding="utf-8"),
        ),
        institution=institution,
    )
    document_save(
        document=PublicDocument(
            level=PublicDocument.Level.FEDERAL,
            title="Трудовой кодекс Российской Федерации, статья 351.8 «Наставничество»",
            link="https://www.consultant.ru/document/cons_doc_LAW_34683/",
        ),
        institution=institution,
    )
    now = timezone.now()
    news_save(
        news=NewsItem(
            kind=NewsItem.Kind.ANNOUNCEMENT,
            title="Заседание методического совета наставников",
            text="Через десять дней совет обсудит ход персонализированных программ и поддержку "
            "наставляемых без пары.",
            status=NewsItem.Status.PUBLISHED,
            published_at=now - timedelta(days=1),
        ),
        institution=institution,
        user=sysadmin,
    )
    news_save(
        news=NewsItem(
            title="Наставнические пары нового учебного года закреплены",
            text="Приказом заведующего закреплены наставнические пары на учебный год.",
            status=NewsItem.Status.PUBLISHED,
            published_at=now - timedelta(days=60),
        ),
        institution=institution,
        user=sysadmin,
    )
