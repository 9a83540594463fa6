from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfflineConfig(AppConfig):
    name = "pocketbook.offline"
    label = "offline"
    verbose_name = _("Offline volunteer app")

    def ready(self) -> None:
        from pocketbook.accounts.roles import Role, grant
        from pocketbook.core.menu import MenuItem, menu_register
        from pocketbook.core.page_parts import PagePart, page_part_register
        from pocketbook.households.privacy_hooks import PrivacyHook, privacy_hook_register
        from pocketbook.households.timeline import timeline_kind_register
        from pocketbook.offline import events, privacy, services
        from pocketbook.offline.selectors import caseload_extra_register, conflict_open_count
        from pocketbook.volunteers.selectors import caseload_visit_schedules

        for kind in events.KINDS:
            timeline_kind_register(kind)
        # The visit schedule travels with the caseload. Offline sits above volunteers, so it fills its own registry.
        caseload_extra_register("visits", caseload_visit_schedules)
        menu_register(
            MenuItem("offline:device_list", _("Phones with offline data"), "offline.view_offlinedevice", "☏", order=90)
        )
        menu_register(
            MenuItem(
                "offline:conflict_list",
                _("Conflicting edits from phones"),
                "offline.change_syncconflict",
                "⇄",
                order=88,
                count=conflict_open_count,
            )
        )
        # A conflicting edit keeps what the volunteer typed about a person until someone chooses.
        privacy_hook_register(
            PrivacyHook("offline_conflicts", services.member_conflicts_export, services.member_conflicts_erase)
        )
        privacy_hook_register(
            PrivacyHook("offline_visit_notes", privacy.member_visit_notes_export, privacy.member_visit_notes_erase)
        )
        page_part_register(PagePart("offline_head", "head", "offline/_head.html"))
        page_part_register(PagePart("offline_outbox_bar", "top", "offline/_top.html"))
        page_part_register(PagePart("offline_script", "end", "offline/_end.html"))
        grant(Role.VOLUNTEER, "offline.add_visitnote", "offline.view_visitnote")
        grant(Role.SOCIAL_WORKER, "offline.add_visitnote", "offline.view_visitnote")
        grant(Role.ADMINISTRATOR, "offline.view_offlinedevice", "offline.change_offlinedevice")
        grant(Role.MANAGER, "offline.view_offlinedevice", "offline.change_offlinedevice")
        # The office chooses between a phone's edit and its own change, in its areas.
        conflicts = ("offline.view_syncconflict", "offline.change_syncconflict")
        grant(Role.SOCIAL_WORKER, *conflicts)
        grant(Role.MANAGER, *conflicts)
        grant(Role.ADMINISTRATOR, *conflicts)
