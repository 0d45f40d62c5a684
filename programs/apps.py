from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Программы наставничества"

    def ready(self):
        # The head's signature of «О продлении (корректировке) программы» applies the new term
        # and amends the mentor's agreement (п. 7.2; ТК РФ ст. 351.8).
        from programs.services.lifecycle import term_change_apply_by_order
        from registry.models import Order
        from registry.services.orders import on_signing

        on_signing(Order.Kind.PROGRAM_CHANGE, term_change_apply_by_order)
