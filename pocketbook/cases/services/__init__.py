"""Every write of the cases app: needs, cases, plan items, referrals, funds, assistance and follow-ups.

One module per part (guards.py holds the checks they share); callers import everything from here.

Keyword-only, atomic, given the acting user; each records its audit entry and timeline entries itself.
Bad input raises ValidationError naming the field; a refusal writes nothing.
"""

from __future__ import annotations

from pocketbook.cases.services.agencies import AgencyInput as AgencyInput
from pocketbook.cases.services.agencies import agency_save as agency_save
from pocketbook.cases.services.assistance import assistance_record as assistance_record
from pocketbook.cases.services.assistance import assistance_reverse as assistance_reverse
from pocketbook.cases.services.assistance import followup_record as followup_record
from pocketbook.cases.services.assistance import fund_budget_set as fund_budget_set
from pocketbook.cases.services.assistance import fund_create as fund_create
from pocketbook.cases.services.assistance import fund_spending_record as fund_spending_record
from pocketbook.cases.services.assistance import fund_used as fund_used
from pocketbook.cases.services.cases import CLOSING_STATUSES as CLOSING_STATUSES
from pocketbook.cases.services.cases import PLAN_ITEM_FIELDS as PLAN_ITEM_FIELDS
from pocketbook.cases.services.cases import PlanItemInput as PlanItemInput
from pocketbook.cases.services.cases import case_assign as case_assign
from pocketbook.cases.services.cases import case_close as case_close
from pocketbook.cases.services.cases import case_open as case_open
from pocketbook.cases.services.cases import case_refresh as case_refresh
from pocketbook.cases.services.cases import case_reopen as case_reopen
from pocketbook.cases.services.cases import plan_item_add as plan_item_add
from pocketbook.cases.services.cases import plan_item_update as plan_item_update
from pocketbook.cases.services.guards import MAX_AMOUNT as MAX_AMOUNT
from pocketbook.cases.services.guards import PlanItemConflict as PlanItemConflict
from pocketbook.cases.services.guards import fiscal_year_be as fiscal_year_be
from pocketbook.cases.services.guards import parse_amount as parse_amount
from pocketbook.cases.services.needs import DIMENSIONS as DIMENSIONS
from pocketbook.cases.services.needs import SUGGEST_BATCH as SUGGEST_BATCH
from pocketbook.cases.services.needs import SuggestReport as SuggestReport
from pocketbook.cases.services.needs import need_add as need_add
from pocketbook.cases.services.needs import need_dismiss as need_dismiss
from pocketbook.cases.services.needs import needs_suggest_for_assessment as needs_suggest_for_assessment
from pocketbook.cases.services.needs import needs_suggest_for_households as needs_suggest_for_households
from pocketbook.cases.services.needs import needs_suggest_for_rescored as needs_suggest_for_rescored
from pocketbook.cases.services.referrals import ANSWERS as ANSWERS
from pocketbook.cases.services.referrals import household_consents_to_sharing as household_consents_to_sharing
from pocketbook.cases.services.referrals import referral_answer as referral_answer
from pocketbook.cases.services.referrals import referral_create as referral_create
from pocketbook.cases.services.referrals import referral_revoke as referral_revoke
