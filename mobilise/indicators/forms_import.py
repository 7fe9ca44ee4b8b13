"""The indicator data upload form: a data file, its format, and optional metadata."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mobilise.indicators.importing import AUTO, OPENSDG, TIDY
from mobilise.indicators.importing.readers import human_size

# A national indicator as tidy CSV is a few MB; 20 MB leaves room and keeps a request short.
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1000 * 1000
MAX_META_BYTES = 1000 * 1000
DATA_SUFFIXES = (".csv", ".csv.gz", ".gz", ".txt")
META_SUFFIXES = (".md", ".yaml", ".yml", ".txt")


def max_upload_bytes() -> int:
    return int(getattr(settings, "MOBILISE_INDICATOR_UPLOAD_MAX_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


class ImportForm(forms.Form):
    data_file = forms.FileField(
        label=_("Data file"),
        error_messages={
            "required": _("Select a CSV file to upload"),
            "empty": _("The selected file is empty"),
        },
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            (AUTO, _("Work it out from the column headings")),
            (
                TIDY,
                _("Tidy CSV: one row per value, with indicator, geocode, period and value columns"),
            ),
            (
                OPENSDG,
                _("Open SDG CSV: Year, Value, GeoCode and breakdown columns, as on sdgdata.gov.uk"),
            ),
        ],
        initial=AUTO,
        widget=forms.RadioSelect,
    )
    meta_file = forms.FileField(
        label=_("Metadata file (optional)"),
        required=False,
        help_text=_(
            "For a tidy CSV, a YAML file giving each indicator's title, unit, source and "
            "direction. For an Open SDG CSV, its metadata page (.md)."
        ),
    )
    indicator_code = forms.SlugField(
        label=_("Indicator code (optional)"),
        required=False,
        max_length=60,
        help_text=_(
            "Only for an Open SDG file whose name is not indicator_<code>.csv and whose metadata "
            "does not give it, for example 3-9-1."
        ),
    )
    replace = forms.BooleanField(
        label=_("Replace: remove values that this file no longer has"),
        required=False,
        help_text=_(
            "The file is the whole of each indicator in it: any value saved before, for those "
            "indicators, that is not in the file is deleted."
        ),
    )
    additive = forms.ChoiceField(
        label=_("Can the values be added up across places?"),
        choices=[
            ("auto", _("Work it out from the unit")),
            (
                "yes",
                _("Yes: counts or totals, such as people, tonnes or pounds"),
            ),
            ("no", _("No: rates, percentages, averages or scores")),
        ],
        initial="auto",
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Where the values can be added up, ITL areas and combined authorities show the sum "
            "of their local authorities' figures, marked as derived."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file: do not save anything"), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["data_file"].help_text = _(
            "A .csv file, or a compressed .csv.gz, no bigger than %(size)s."
        ) % {"size": human_size(max_upload_bytes())}

    def clean_additive(self) -> bool | None:
        """True, False, or None to leave it to the metadata and the unit."""
        return {"yes": True, "no": False}.get(self.cleaned_data.get("additive") or "auto")

    def clean_data_file(self):
        upload = self.cleaned_data["data_file"]
        if not upload.name.lower().endswith(DATA_SUFFIXES):
            raise forms.ValidationError(_("The selected file must be a CSV file (.csv or .csv.gz)"))
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                _("The selected file must be smaller than %(size)s")
                % {"size": human_size(max_upload_bytes())}
            )
        return upload

    def clean_meta_file(self):
        upload = self.cleaned_data.get("meta_file")
        if not upload:
            return None
        if not upload.name.lower().endswith(META_SUFFIXES):
            raise forms.ValidationError(
                _("The metadata file must be a YAML (.yaml) or Open SDG (.md) file")
            )
        if upload.size > MAX_META_BYTES:
            raise forms.ValidationError(_("The metadata file must be smaller than 1 MB"))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("The metadata file must be UTF-8 text")) from exc
