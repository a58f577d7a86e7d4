"""Visibility is one SQL filter on unit ids and clearance, decided in office.permissions.

The core has no business objects of its own yet, so these tests describe trail events the way a
duty app describes its documents: a 密级, the units that handle them and the people on them.
"""

import pytest
from django.http import Http404

from office import trail
from office.models import Clearance, TrailEvent, Unit
from office.permissions import (
    Visibility,
    can_see,
    forget_scope,
    get_visible_or_404,
    scope_for,
    visible,
)

# "Handled by the acting person's unit, or by that person": like an item assigned to a unit.
RULE = Visibility(
    clearance_field="classification", unit_fields=("actor__unit",), user_fields=("actor",)
)
UNIT_ONLY = Visibility(
    clearance_field="classification", unit_fields=("actor__unit",), office_wide=False
)


@pytest.fixture
def items(personas):
    def item(actor, classification, label):
        return trail.record(
            action="test", action_label=label, actor=actor, classification=classification
        )

    return {
        "a_plain": item(personas["handler_a"], Clearance.NONE, "教育局普通件"),
        "a_secret": item(personas["head_a"], Clearance.SECRET, "教育局秘密件"),
        "b_plain": item(personas["handler_b"], Clearance.NONE, "住建局普通件"),
        "top": item(personas["leader"], Clearance.TOP_SECRET, "绝密件"),
    }


def labels(qs):
    return sorted(qs.values_list("action_label", flat=True))


@pytest.mark.django_db
class TestVisible:
    def test_unit_handler_sees_only_own_unit_within_clearance(self, items, personas):
        qs = TrailEvent.objects.filter(action="test")
        assert labels(visible(qs, personas["handler_a"], RULE)) == ["教育局普通件"]
        assert labels(visible(qs, personas["head_a"], RULE)) == ["教育局普通件", "教育局秘密件"]
        assert labels(visible(qs, personas["handler_b"], RULE)) == ["住建局普通件"]

    def test_office_staff_see_the_office_business_up_to_their_clearance(self, items, personas):
        qs = TrailEvent.objects.filter(action="test")
        assert labels(visible(qs, personas["secretary"], RULE)) == [
            "住建局普通件",
            "教育局普通件",
            "教育局秘密件",
        ]
        assert len(labels(visible(qs, personas["leader"], RULE))) == 4

    def test_office_wide_can_be_switched_off_per_kind(self, items, personas):
        qs = TrailEvent.objects.filter(action="test")
        assert labels(visible(qs, personas["secretary"], UNIT_ONLY)) == []

    @pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor", "outsider"])
    def test_admin_roles_and_people_without_a_role_see_no_business(self, items, personas, persona):
        qs = TrailEvent.objects.filter(action="test")
        assert not visible(qs, personas[persona], RULE).exists()

    def test_sub_units_are_reached_through_their_parent(self, items, personas, units):
        school = Unit.objects.create(
            name="珠海市第一中学", short_name="市一中", kind=Unit.Kind.OTHER, parent=units["a"]
        )
        personas["handler_b"].unit = school
        personas["handler_b"].save()
        forget_scope(personas["handler_a"])
        trail.record(action="test", action_label="学校件", actor=personas["handler_b"])
        qs = TrailEvent.objects.filter(action="test")
        assert "学校件" in labels(visible(qs, personas["handler_a"], RULE))

    def test_one_object_is_404_when_out_of_reach_or_above_clearance(self, items, personas):
        qs = TrailEvent.objects.all()
        assert get_visible_or_404(qs, personas["handler_a"], RULE, pk=items["a_plain"].pk)
        with pytest.raises(Http404):
            get_visible_or_404(qs, personas["handler_a"], RULE, pk=items["b_plain"].pk)
        with pytest.raises(Http404):
            get_visible_or_404(qs, personas["handler_a"], RULE, pk=items["a_secret"].pk)
        with pytest.raises(Http404):
            get_visible_or_404(qs, personas["secretary"], RULE, pk=items["top"].pk)
        assert can_see(personas["leader"], items["top"], RULE)
        assert not can_see(personas["auditor"], items["a_plain"], RULE)

    def test_counts_go_through_the_same_filter(self, items, personas):
        qs = TrailEvent.objects.filter(action="test")
        assert visible(qs, personas["handler_a"], RULE).count() == 1
        assert visible(qs, personas["secretary"], RULE).count() == 3

    def test_scope_is_computed_once_per_request(self, personas, django_assert_num_queries):
        user = personas["handler_a"]
        forget_scope(user)
        with django_assert_num_queries(2):  # roles, unit tree
            scope_for(user)
            scope_for(user)
            scope_for(user)

    def test_the_filter_is_set_based_sql_not_per_object(
        self, items, personas, django_assert_num_queries
    ):
        user = personas["handler_a"]
        scope_for(user)
        with django_assert_num_queries(1):
            list(visible(TrailEvent.objects.all(), user, RULE))
