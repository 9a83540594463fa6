from pocketbook.incidents import selectors
from pocketbook.incidents.models import IncidentEvent
from pocketbook.incidents.tests.factories import IncidentFactory


def test_an_incidents_timeline_is_empty_outside_the_viewers_scope(db, ess_operator, other_province_worker):
    # given an incident of Trang with one timeline entry
    incident = IncidentFactory()
    event = IncidentEvent.objects.create(
        incident=incident, kind="received", actor_name="system", time=incident.received_at
    )
    # then
    assert list(selectors.incident_timeline(viewer=ess_operator, incident=incident)) == [event]
    assert list(selectors.incident_timeline(viewer=other_province_worker, incident=incident)) == []
