"""签收回执（纪要）: one receipt per unit for dispatched minutes (MinutesReceipt), with a partial
index on the unsigned ones; and the meeting state 已发通知 (notified) removed — scheduling sends
the notice in the same transaction, so no meeting was ever in it (any such row becomes planned)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def notified_to_planned(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Meeting.objects.filter(state="notified").update(state="planned")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_minutes"),
        ("office", "0003_pdf_job_progress"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(notified_to_planned, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="meeting",
            name="state",
            field=models.CharField(
                choices=[("planned", "已安排"), ("held", "已召开"), ("cancelled", "已取消")],
                default="planned",
                max_length=20,
                verbose_name="状态",
            ),
        ),
        migrations.CreateModel(
            name="MinutesReceipt",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "sent_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="印发时间"
                    ),
                ),
                (
                    "due_at",
                    models.DateTimeField(
                        help_text="印发后 8 个工作小时。", verbose_name="签收时限"
                    ),
                ),
                (
                    "received_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="签收时间"),
                ),
                (
                    "minutes",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="receipts",
                        to="meetings.minutes",
                        verbose_name="会议纪要",
                    ),
                ),
                (
                    "received_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="签收人",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="office.unit",
                        verbose_name="收文单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "纪要签收回执",
                "verbose_name_plural": "纪要签收回执",
                "ordering": ["minutes", "id"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("received_at__isnull", True)),
                        fields=["unit", "due_at"],
                        name="minutes_receipt_unsigned_idx",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("minutes", "unit"), name="minutes_receipt_once_per_unit"
                    )
                ],
            },
        ),
    ]
