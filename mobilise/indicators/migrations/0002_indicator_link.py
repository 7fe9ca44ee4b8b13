import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("missions", "0001_initial"),
        ("places", "0002_place_successors"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndicatorLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links",
                        to="indicators.indicator",
                        verbose_name="indicator",
                    ),
                ),
                (
                    "outcome",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="indicator_links",
                        to="missions.outcome",
                        verbose_name="mission outcome",
                    ),
                ),
                (
                    "place",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="indicator_links",
                        to="places.place",
                        verbose_name="place",
                    ),
                ),
            ],
            options={
                "verbose_name": "indicator linked to an outcome",
                "verbose_name_plural": "indicators linked to outcomes",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("outcome", "indicator", "place"), name="indicatorlink_unique"
                    )
                ],
            },
        ),
    ]
