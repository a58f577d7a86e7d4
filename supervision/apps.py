from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "督查督办"

    def ready(self):
        from office import registry
        from office.roles import OFFICE_WIDE_ROLES, UNIT_ROLES, Role

        from . import desk

        # Everyone with a business role: supervision.selectors limits what each one sees.
        registry.register_nav(
            "督查台账",
            "supervision:ledger",
            icon="clipboard-data",
            roles=OFFICE_WIDE_ROLES | UNIT_ROLES,
        )
        # 督查统计: each counts the items they may see (a unit its own, a leader their portfolio).
        registry.register_nav(
            "督查统计",
            "supervision:dashboard",
            icon="bar-chart-line",
            roles=OFFICE_WIDE_ROLES | UNIT_ROLES,
        )
        # 督查通报: the office's staff see every bulletin; a unit's people those sent to it.
        registry.register_nav(
            "督查通报",
            "supervision:bulletin-list",
            icon="megaphone",
            roles=OFFICE_WIDE_ROLES | UNIT_ROLES,
        )
        registry.register_nav(
            "督办立项", "supervision:item-new", icon="plus-square", roles={Role.SUPERVISOR}
        )
        registry.register_nav(
            "待立项批示件",
            "supervision:instruction-list",
            icon="pen",
            roles={Role.SUPERVISOR},
        )
        registry.register_nav(
            "目标任务导入",
            "supervision:import-upload",
            icon="file-earmark-spreadsheet",
            roles={Role.SUPERVISOR},
        )
        registry.register_desk(desk.supervision_desk_items)
