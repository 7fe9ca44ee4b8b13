"""Uploading indicator data: mission leads check a file, see every problem in it, and import it.

The upload is checked in full before anything is saved (see ``mobilise.indicators.importing``):
a file with any problem is shown back as an error summary and its problems grouped by cause,
file and column, one line per distinct value with its rows as ranges ("rows 10–17, 20"), and
nothing is written. A good file is written in one go; the page then redirects (so reloading
it cannot import twice) and shows what was created, updated and left unchanged.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .access import can_import, import_scope
from .forms_import import ImportForm, max_upload_bytes
from .importing import ImportReport, import_upload
from .models import Indicator

SESSION_KEY = "indicator_import_result"
PROBLEMS_SHOWN = 500
SUMMARY_ITEMS = 10
# Uncompressed data is allowed to be this many times the upload limit (a .csv.gz compresses ~10×).
GZIP_FACTOR = 12


def _indicator_links(codes: list[str]) -> dict[str, str]:
    """Links to the indicators' pages, where those pages exist."""
    links = {}
    for indicator in Indicator.objects.filter(code__in=codes).only("code"):
        try:
            links[indicator.code] = indicator.get_absolute_url()
        except NoReverseMatch:  # the indicator pages may not be installed
            pass
    return links


def _problem_groups(report: ImportReport) -> tuple[list[dict[str, Any]], int]:
    """The problems by cause, file and column (errors first), each group with one row per
    distinct value and its rows as ranges ("10–17, 20"); and how many were left out."""
    groups, number, hidden = [], 0, 0
    for group in report.groups():
        rows = []
        for problem in group.problems:
            if number >= PROBLEMS_SHOWN:
                hidden += 1
                continue
            number += 1
            rows.append(
                {
                    "id": f"problem-{number}",
                    "rows": problem.ranges_text()
                    if problem.ranges
                    else (problem.row if problem.row is not None else ""),
                    "column": problem.column,
                    "value": problem.value,
                    "message": problem.message,
                    "hint": problem.hint,
                    "count": problem.count,
                    "is_error": problem.is_error,
                }
            )
        if not rows:
            continue
        where = group.where()
        if len(group.problems) > 1:
            summary = f"{where}: {group.heading()}" if where else group.heading()
        else:
            only = group.problems[0]
            summary = f"{only.where()}: {only.message}" if only.where() else only.message
        groups.append(
            {
                "id": f"problems-{len(groups) + 1}",
                "summary": summary,
                "is_error": group.is_error,
                "first": rows[0]["id"],
                "rows": rows,
            }
        )
    return groups, hidden + report.errors_not_listed


def _error_summary(report: ImportReport, groups: list[dict[str, Any]]) -> dict[str, Any]:
    items = [
        {
            "text": _(
                "The file has %(count)s problem(s). Nothing was saved: fix them and upload it again."
            )
            % {"count": report.error_count},
            "href": "#problems",
        }
    ]
    for group in [g for g in groups if g["is_error"]][:SUMMARY_ITEMS]:
        items.append({"text": group["summary"], "href": f"#{group['first']}"})
    return {"titleText": _("There is a problem"), "errorList": items}


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    if not can_import(request.user):
        raise PermissionDenied
    scope = import_scope(request.user)
    context: dict[str, Any] = {
        "import_places": scope.description if scope else "",
        "max_bytes": max_upload_bytes(),
        "result": None,
        "links": {},
        "report": None,
        "report_summary": None,
        "problem_groups": [],
        "problems_hidden": 0,
    }
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            upload_file = data["data_file"]
            report = import_upload(
                upload_file,
                name=upload_file.name,
                format=data["format"],
                meta_text=data["meta_file"],
                code=data["indicator_code"] or None,
                dry_run=data["dry_run"],
                replace=data["replace"],
                additive=data["additive"],
                max_bytes=max_upload_bytes() * GZIP_FACTOR,
                scope=scope,
                user=request.user,
            )
            if report.ok:
                request.session[SESSION_KEY] = report.to_dict()
                return redirect(request.path)
            groups, hidden = _problem_groups(report)
            context.update(
                {
                    "report": report,
                    "problem_groups": groups,
                    "problems_hidden": hidden,
                    "report_summary": _error_summary(report, groups),
                    "page_has_errors": True,
                }
            )
    else:
        form = ImportForm()
        result = request.session.pop(SESSION_KEY, None)
        if result:
            codes = [r["code"] for r in result["indicators"]]
            context.update({"result": result, "links": _indicator_links(codes)})
    context["form"] = form
    return render(request, "indicators/import_upload.html", context)
