"""The daily duty of keeping less (issue 17 item 5; 152-ФЗ ст. 5 ч. 7): deletes the staff lists
uploaded more than a day ago and neither loaded nor cancelled, and empties the cells of loaded
or cancelled ones that still hold them. Run it every day (docs/deploy/mentoring-daily.service);
it is safe to run again."""

from django.core.management.base import BaseCommand

from registry.services.imports import staff_imports_purge


class Command(BaseCommand):
    help = "Удаляет брошенные загрузки списков сотрудников и строки завершённых загрузок."

    def handle(self, *args, **options):
        deleted, emptied = staff_imports_purge()
        self.stdout.write(
            f"Удалено брошенных загрузок: {deleted}; очищено завершённых загрузок: {emptied}."
        )
