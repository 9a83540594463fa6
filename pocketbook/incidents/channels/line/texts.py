"""What the bot says. English in code, Thai in this channel's catalogue; the bot always speaks Thai.

Quick-reply labels must stay within LINE's 20 characters in every language (a test checks the Thai).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

BOT_LANGUAGE = "th"

GREETING = _(
    "Hello, this is ESS, the social emergency service. Report here, at any hour, someone threatened or harmed, "
    "unlawfully confined, at risk of sexual abuse, a deranged person causing harm, or a gathering causing harm.\n"
    "To talk to someone, call the 24-hour hotline 1300.\n"
    "To report, tap “Report” below or type “report”. "
    "If you cannot type, just send your location: that alone is a report."
)
GROUP_JOIN = _(
    "Thank you for adding ESS. To keep reporters safe, reports are taken only in a one-to-one chat with this "
    "account, not in groups. The 24-hour hotline 1300 is always there."
)
ASK_TYPE = _(
    "What is happening? Choose below, or type the number:\n"
    "1 threatened or harmed\n"
    "2 unlawfully confined or detained\n"
    "3 at risk of sexual abuse\n"
    "4 a deranged person causing harm\n"
    "5 a gathering causing harm\n"
    "6 something else"
)
ASK_TYPE_AGAIN = _("Please choose what is happening from the buttons below, or type a number from 1 to 6.")
ASK_LOCATION = _(
    "Where is it? Tap “Send location” to share the place, or type the address "
    "(village, subdistrict, district, province)."
)
ASK_LOCATION_AGAIN = _("Please tap “Send location”, or type the address of the place.")
ASK_DETAILS = _(
    "Location received. Tell us in a few words what is happening, or send photos. "
    "If you cannot type, tap “Send report” now."
)
ADDRESS_NOT_FOUND = _(
    "We could not place this address on the map; officials will check the place with you. "
    "Tell us in a few words what is happening, or send photos, or tap “Send report”."
)
PHOTO_RECEIVED = _("Photo received. Send more, type a few words, or tap “Send report”.")
PHOTO_KEPT = _("Photo received. Tap “Report” to report an emergency; the photo will go with it.")
PHOTO_ADDED = _("Photo added to report %(number)s.")
REPORT_OPENED = _(
    "Your report is in. Number: %(number)s (%(type)s).\n"
    "What happens next: the officials responsible for the place are told now and will act; "
    "we will tell you here each time the status changes. You may still send photos.\n"
    "If someone is in danger right now, call 191 or the 24-hour hotline 1300."
)
SOS_OPENED = _(
    "SOS received. Number: %(number)s.\n"
    "Officials are told now and will go to the place you sent. "
    "When you can, tell us what is happening, or call 191 or the hotline 1300."
)
SOS_NEEDS_LOCATION = _(
    "SOS received. Number: %(number)s.\n"
    "Officials are told now. Please send your location if you can: tap “Send location”."
)
SOS_LOCATION_ADDED = _("Location added to report %(number)s. Officials are on it.")
STATUS_NONE = _("You have no open reports. To report an emergency, tap “Report”.")
STATUS_HEADER = _("Your open reports:")
STATUS_LINE = _("%(number)s %(type)s: %(status)s (since %(date)s)")
CANCELLED = _("The report was cancelled. Tap “Report” to start again.")
HELP = _(
    "Sorry, I did not understand. Tap “Report” to report an emergency, “Status” to see your reports, "
    "or send your location for an immediate SOS. The hotline 1300 answers 24 hours."
)
UNSUPPORTED_MESSAGE = _(
    "This chat takes text, locations and photos. Tap “Report” to report an emergency, "
    "or call the 24-hour hotline 1300."
)
REPORT_FAILED = _(
    "Sorry, your report could not be saved because of a system problem. Please call the 24-hour hotline 1300 now."
)
NOTE_LOCATION = _("Location sent by the reporter on LINE: %(latitude)s, %(longitude)s (%(place)s)")
NOTE_EXTERNAL_PHOTO = _("Photo sent on LINE through an outside provider: %(url)s")

LABEL_REPORT = pgettext_lazy("LINE quick reply", "Report")
LABEL_STATUS = pgettext_lazy("LINE quick reply", "Status")
LABEL_CANCEL = pgettext_lazy("LINE quick reply", "Cancel")
LABEL_SEND_LOCATION = pgettext_lazy("LINE quick reply", "Send location")
LABEL_CAMERA = pgettext_lazy("LINE quick reply", "Take a photo")
LABEL_CAMERA_ROLL = pgettext_lazy("LINE quick reply", "Choose a photo")
LABEL_SUBMIT = pgettext_lazy("LINE quick reply", "Send report")

# The five ESS types of the LINE menu, then "something else" (opened as `unknown` for the operator to classify).
TYPE_LABELS = (
    ("assault", pgettext_lazy("LINE quick reply", "Threat or harm")),
    ("confinement", pgettext_lazy("LINE quick reply", "Confinement")),
    ("sexual_abuse", pgettext_lazy("LINE quick reply", "Sexual abuse risk")),
    ("deranged_person", pgettext_lazy("LINE quick reply", "Deranged person")),
    ("gathering", pgettext_lazy("LINE quick reply", "Harmful gathering")),
    ("unknown", pgettext_lazy("LINE quick reply", "Something else")),
)

# The rich menu (`pocketbook line_setup` draws these into its image; the chat bar text is at most 14 characters).
MENU_CHAT_BAR = pgettext_lazy("rich menu", "ESS menu")
MENU_REPORT = pgettext_lazy("rich menu", "Report")
MENU_REPORT_HINT = pgettext_lazy("rich menu", "Tell us step by step")
MENU_SOS = pgettext_lazy("rich menu", "SOS")
MENU_SOS_HINT = pgettext_lazy("rich menu", "Help now, no typing")
MENU_STATUS = pgettext_lazy("rich menu", "My reports")
MENU_STATUS_HINT = pgettext_lazy("rich menu", "Follow what you reported")
MENU_CALL = pgettext_lazy("rich menu", "Call 1300")
MENU_CALL_HINT = pgettext_lazy("rich menu", "24-hour hotline")
