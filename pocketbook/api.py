"""The API at /api/v1/: each domain app contributes a Ninja router."""

from ninja import NinjaAPI

from pocketbook.accounts.api_auth import API_AUTH
from pocketbook.assessments.api import router as assessments_router
from pocketbook.cases.api import router as cases_router
from pocketbook.core.api import install_error_handlers
from pocketbook.geo.api import router as geo_router
from pocketbook.households.api import router as households_router
from pocketbook.incidents.api import router as incidents_router
from pocketbook.offline.api import router as offline_router
from pocketbook.reports.api import router as reports_router
from pocketbook.reports.export_api import router as exports_router
from pocketbook.volunteers.api import router as volunteers_router

api = NinjaAPI(
    title="Pocketbook API",
    version="1",
    description=(
        "Area-scoped access to Pocketbook. Authenticate with a personal API token "
        "(`Authorization: Bearer pbk_...`, made on the *API tokens* page) or a browser session. "
        "Records outside your areas answer 404, exactly like records that do not exist."
    ),
    auth=API_AUTH,
    urls_namespace="api",
)
install_error_handlers(api)

api.add_router("/", geo_router)
api.add_router("/", households_router)
api.add_router("/", assessments_router)
api.add_router("/", incidents_router)
api.add_router("/", volunteers_router)
api.add_router("/", cases_router)
api.add_router("/", offline_router)
api.add_router("/", reports_router)
api.add_router("/", exports_router)
