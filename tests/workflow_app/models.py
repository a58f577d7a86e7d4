"""A minimal duty object, installed only for the tests, to exercise the core's shared machinery
(the transition engine) the way a duty app uses it."""

from django.db import models

from office.models import Clearance, Unit


class Memo(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "起草"
        SUBMITTED = "submitted", "待签发"
        SIGNED = "signed", "已签发"

    title = models.CharField(max_length=100)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT)
    classification = models.IntegerField(choices=Clearance.choices, default=Clearance.NONE)
    signed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.title
