import re
from datetime import date

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.calendar import Holiday, calendar_publish, holidays_of, notice_problems, workdays_of
from core.models import CalendarYear
from core.numbers import NumberError, parse_decimal

DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and sends only ISO dates: without the format
    Django renders the active language's first input format (zh-hans: 2026/12/15), which the
    picker shows as empty and the form then refuses."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format)


class DecimalField(forms.DecimalField):
    """A typed number, read by core.numbers (no NaN, infinity, exponent or digit past what the
    field holds); every form's decimal is one, ModelForms' too (Meta.field_classes)."""

    def to_python(self, value):
        try:
            return parse_decimal(
                value, max_digits=self.max_digits, decimal_places=self.decimal_places
            )
        except NumberError as error:
            raise forms.ValidationError(str(error), code="invalid") from error


def row_label(number, label) -> str:
    """What a screen reader calls a field in a table's row: "第3行 岗位及级别"."""
    return _("Row %(number)s: %(label)s") % {"number": number, "label": label}


class UnlabelledFieldsMixin:
    """A form shown without its fields' labels (a one-line form; a row of a table, under the
    columns' headings): a screen reader names each field by its label, and in a formset's row
    by its row too: "第3行 岗位及级别" (a page's script numbers the rows it adds)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        index = (self.prefix or "").rpartition("-")[2]
        for field in self.fields.values():
            label = str(field.label)
            if index.isdigit() or index == "__prefix__":
                number = int(index) + 1 if index.isdigit() else 1
                label = row_label(number, label)
            field.widget.attrs["aria-label"] = label


def _date(text: str) -> date:
    year, month, day = (int(part) for part in text.split("-"))
    return date(year, month, day)


class CalendarNoticeForm(forms.ModelForm):
    """A notice as procurement types it: ranges of days off and make-up working days, on the
    portal's page and in /admin/ alike; every rule is checked before anything is saved."""

    holidays = forms.CharField(
        label=gettext_lazy("Days off"),
        widget=forms.Textarea(attrs={"rows": 9}),
        help_text=gettext_lazy(
            "One range a line: first day, last day, name (2027-02-05 2027-02-11 春节); "
            "a single day with one date."
        ),
    )
    workdays = forms.CharField(
        label=gettext_lazy("Make-up working days (调休)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Saturdays or Sundays worked, separated by spaces or lines."),
    )

    class Meta:
        model = CalendarYear
        fields = ["year", "notice_number", "notice_date", "holidays", "workdays", "reason"]
        widgets = {"notice_date": DateInput(), "reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notice_number"].required = True
        self.fields["notice_date"].required = True
        row = self.instance
        if row.pk:
            self.initial["holidays"] = "\n".join(
                f"{h.start} {h.end} {h.name}".strip() for h in holidays_of(row)
            )
            self.initial["workdays"] = "\n".join(str(day) for day in workdays_of(row))
            self.fields["year"].disabled = True

    def clean_holidays(self) -> list[dict]:
        ranges, problems = [], []
        for number, line in enumerate(self.cleaned_data["holidays"].splitlines(), start=1):
            dates = DATE.findall(line)
            name = DATE.sub("", line).replace("至", "").strip(" -–,，\t")
            try:
                first, last = _date(dates[0]), _date(dates[-1])
            except (IndexError, ValueError):
                if line.strip():
                    problems.append(
                        _("Line %(line)s: “%(text)s” names no date.")
                        % {"line": number, "text": line.strip()}
                    )
                continue
            ranges.append(Holiday(first, last, name[:50]).as_json())
        if problems:
            raise forms.ValidationError(problems)
        return ranges

    def clean_workdays(self) -> list[str]:
        try:
            return [_date(text).isoformat() for text in DATE.findall(self.cleaned_data["workdays"])]
        except ValueError as error:
            raise forms.ValidationError(_("Give the dates as YYYY-MM-DD.")) from error

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        number = data["year"]
        for problem in notice_problems(
            number=number,
            holidays=self.parsed_holidays(),
            workdays=self.parsed_workdays(),
            notice_number=data["notice_number"],
            reason=data.get("reason", ""),
            current=CalendarYear.objects.filter(year=number).first(),
        ):
            self.add_error(None, problem)
        return data

    def parsed_holidays(self) -> list[Holiday]:
        return holidays_of(CalendarYear(holidays=self.cleaned_data["holidays"]))

    def parsed_workdays(self) -> list[date]:
        return workdays_of(CalendarYear(workdays=self.cleaned_data["workdays"]))

    def publish(self, actor):
        return calendar_publish(
            number=self.cleaned_data["year"],
            holidays=self.parsed_holidays(),
            workdays=self.parsed_workdays(),
            notice_number=self.cleaned_data["notice_number"],
            notice_date=self.cleaned_data["notice_date"],
            reason=self.cleaned_data.get("reason", ""),
            actor=actor,
        )


class CalendarImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Notice file (.xlsx or .csv)"),
        help_text=gettext_lazy(
            "Columns 类型 | 开始日期 | 结束日期 | 名称; 类型 is 放假 or 调休上班."
        ),
    )
    notice_number = forms.CharField(label=gettext_lazy("notice number"), max_length=100)
    notice_date = forms.DateField(label=gettext_lazy("notice date"), widget=DateInput())
    reason = forms.CharField(
        label=gettext_lazy("reason for the change"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BankAccountChangeForm(UnlabelledFieldsMixin, forms.Form):
    """The vendor's written notice of a new payee account (clause 4.6.3)."""

    bank_name = forms.CharField(label=gettext_lazy("New bank"), max_length=200)
    bank_account = forms.CharField(label=gettext_lazy("New bank account"), max_length=50)
    note = forms.CharField(label=gettext_lazy("Note to the buyers"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["placeholder"] = field.label
