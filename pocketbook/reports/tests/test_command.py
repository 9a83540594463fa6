"""`pocketbook rebuild_aggregates`: rebuilds each registered topic and says how fast."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pocketbook.reports.tallies import TallyChange, tally_read, tally_replace_topic
from pocketbook.reports.topics import Topic, topic_register, topic_unregister

pytestmark = pytest.mark.django_db


@pytest.fixture
def pretend_topic():
    topic = Topic("pretend", lambda: tally_replace_topic("pretend", [TallyChange("pretend", "92", "", "n", 3)]), "P")
    topic_register(topic)
    yield topic
    topic_unregister("pretend")


def test_the_command_rebuilds_the_topic_asked_for(pretend_topic):
    # given
    out = StringIO()
    # when
    call_command("rebuild_aggregates", "--topic", "pretend", "--no-progress", stdout=out)
    # then
    assert tally_read(topic="pretend", area_code="") == {("", "", "n"): 3}
    assert out.getvalue().startswith("pretend                 2 counters in")
    assert "rows/s" in out.getvalue()


def test_an_unknown_topic_is_refused_with_the_known_ones(pretend_topic):
    # given / when / then
    with pytest.raises(CommandError, match="There is no topic 'nope'"):
        call_command("rebuild_aggregates", "--topic", "nope")
