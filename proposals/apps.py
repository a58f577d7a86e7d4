from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = "建议提案办理"

    def ready(self):
        from office import registry
        from office.roles import OFFICE_WIDE_ROLES, UNIT_ROLES

        from . import desk

        # The office's staff, leaders and units' people: proposals.selectors limits what each
        # one sees (a unit what it leads or co-handles, a leader the key items they lead).
        registry.register_nav(
            "建议提案",
            "proposals:proposal-list",
            icon="chat-square-text",
            roles=OFFICE_WIDE_ROLES | UNIT_ROLES,
        )
        # 建议提案统计: each counts the items they may see (a unit its own, a leader the key
        # items they lead); proposals.statistics.
        registry.register_nav(
            "建议提案统计",
            "proposals:proposals-statistics",
            icon="bar-chart-line",
            roles=OFFICE_WIDE_ROLES | UNIT_ROLES,
        )
        # 届次设置, 登记 and 导入: the office's 建议提案 staff (permissions.OFFICE_ROLES).
        from .permissions import OFFICE_ROLES

        registry.register_nav(
            "届次设置", "proposals:session-list", icon="calendar3", roles=OFFICE_ROLES
        )
        registry.register_nav(
            "建议提案登记", "proposals:intake-new", icon="pencil-square", roles=OFFICE_ROLES
        )
        registry.register_nav(
            "建议提案导入",
            "proposals:import-upload",
            icon="file-earmark-spreadsheet",
            roles=OFFICE_ROLES,
        )
        registry.register_desk(desk.proposals_desk_items)
