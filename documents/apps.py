from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "公文办理"

    def ready(self):
        from office import registry

        from . import desk

        registry.register_nav("收文办理", "documents:incoming-todo", icon="inbox")
        registry.register_nav("收文登记簿", "documents:incoming-register", icon="journal-text")
        registry.register_nav("收文统计", "documents:incoming-statistics", icon="bar-chart")
        registry.register_desk(desk.incoming_desk_items)
        registry.register_search(desk.incoming_search_hits)
