from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "公文办理"

    def ready(self):
        from office import registry
        from office.roles import OFFICE_WIDE_ROLES, Role

        from . import desk

        registry.register_nav("收文办理", "documents:incoming-todo", icon="inbox")
        registry.register_nav("收文登记簿", "documents:incoming-register", icon="journal-text")
        registry.register_nav("收文统计", "documents:incoming-statistics", icon="bar-chart")
        registry.register_nav("发文办理", "documents:outgoing-todo", icon="send")
        registry.register_nav("来文签收", "documents:outgoing-receipts", icon="send-check")
        registry.register_nav(
            "发文登记簿",
            "documents:outgoing-register",
            icon="journal-richtext",
            roles=OFFICE_WIDE_ROLES,
        )
        registry.register_nav("发文统计", "documents:outgoing-statistics", icon="graph-up")
        registry.register_nav(
            "收文办理设置", "documents:incoming-settings", icon="sliders", roles={Role.SYSADMIN}
        )
        registry.register_nav(
            "发文设置", "documents:outgoing-settings", icon="sliders2", roles={Role.SYSADMIN}
        )
        registry.register_nav("印章管理", "documents:seals", icon="award", roles={Role.SECADMIN})
        registry.register_desk(desk.incoming_desk_items)
        registry.register_desk(desk.outgoing_desk_items)
        registry.register_search(desk.incoming_search_hits)
        registry.register_search(desk.outgoing_search_hits)
