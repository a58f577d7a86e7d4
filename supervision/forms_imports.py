"""The 政府工作报告目标任务 upload form (supervision.imports): input checks only — the file's size
and type; its rows are checked by imports.parse_file on the preview."""

from django import forms

from . import imports


class WorkReportUploadForm(forms.Form):
    year = forms.TypedChoiceField(
        label="年度",
        coerce=int,
        help_text="政府工作报告的年度：季度目标的时限按该年各季度末计算。",
    )
    file = forms.FileField(
        label="Excel 文件",
        help_text=f".xlsx 格式，不超过 {imports.MAX_MB} MB，按导入模板的列填写。",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        years = (today.year, today.year + 1)
        self.fields["year"].choices = [(year, f"{year}年") for year in years]
        self.fields["year"].initial = today.year

    def clean_file(self):
        upload = self.cleaned_data["file"]
        imports.check_file(upload)
        return upload
