from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "办会"

    def ready(self):
        from office import registry
        from office.roles import OFFICE_WIDE_ROLES, Role

        from . import desk

        registry.register_nav("议题", "meetings:topic-list", icon="card-checklist")
        registry.register_nav(
            "议题库", "meetings:topic-pool", icon="collection", roles=OFFICE_WIDE_ROLES
        )
        registry.register_nav("会议", "meetings:meeting-list", icon="calendar-event")
        registry.register_nav("会议日程", "meetings:meeting-calendar", icon="calendar-week")
        registry.register_nav("会议纪要", "meetings:minutes-list", icon="journal-check")
        registry.register_nav("办会统计", "meetings:meetings-statistics", icon="bar-chart-line")
        registry.register_nav(
            "办会设置", "meetings:meetings-settings", icon="sliders", roles={Role.SYSADMIN}
        )
        registry.register_desk(desk.meetings_desk_items)
