"""`manage.py seed_demo`: build (or bring back) the demo city office, then print its accounts.

Idempotent: every seeder keys its rows on natural keys, so running it twice gives the same data.
The seeders run in the order of office.seed.SEEDERS, where each duty app adds its own.
"""

import unicodedata

from django.core.management.base import BaseCommand

from office.seed import run_seeders
from office.seed.core import accounts, password_problems

HEADERS = ("角色", "用户名", "姓名", "职务", "单位", "密码")


def display_width(text):
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text, width):
    return text + " " * (width - display_width(text))


def format_table(rows, headers=HEADERS):
    widths = [
        max(display_width(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))
    ]
    lines = ["  ".join(pad(str(cell), widths[i]) for i, cell in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * width for width in widths))
    for row in rows:
        lines.append("  ".join(pad(str(cell), widths[i]) for i, cell in enumerate(row)).rstrip())
    return "\n".join(lines)


class Command(BaseCommand):
    help = "建立演示数据：珠海市人民政府及其办公室、各承办单位和各角色的演示账号（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--print-accounts",
            action="store_true",
            help="只打印演示账号及密码，不写入数据。",
        )

    def handle(self, *args, print_accounts=False, **options):
        if not print_accounts:
            demo = run_seeders()
            counts = ", ".join(f"{key} {len(value)}" for key, value in demo.items())
            self.stdout.write(self.style.SUCCESS(f"演示数据已就绪（{counts}）。"))
            for problem in password_problems():
                self.stderr.write(self.style.WARNING(f"演示密码不符合当前安全策略：{problem}"))
        rows = accounts()
        if not rows:
            self.stdout.write("还没有演示账号：请先运行 manage.py seed_demo。")
            return
        self.stdout.write("\n演示账号（所有账号密码相同）：\n")
        self.stdout.write(format_table(rows))
