import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_indicator_link_data"),
        ("places", "0002_place_successors"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="target",
            name="target_unique_per_series_place",
        ),
        migrations.AddField(
            model_name="target",
            name="link",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="targets",
                to="indicators.indicatorlink",
                verbose_name="outcome's link to the indicator",
            ),
        ),
        migrations.AddConstraint(
            model_name="target",
            constraint=models.UniqueConstraint(
                condition=models.Q(("link__isnull", True)),
                fields=("series", "place"),
                name="target_unique_per_series_place",
            ),
        ),
        migrations.AddConstraint(
            model_name="target",
            constraint=models.UniqueConstraint(
                condition=models.Q(("link__isnull", False)),
                fields=("series", "link"),
                name="target_unique_per_series_link",
            ),
        ),
    ]
