"""The secretary's first minute: sign in, land on 工作台, see the work and the bell."""

import datetime
import re
import tempfile
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from office import registry
from office.notifications import notify
from office.registry import DeskItem

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Screenshots for looking at the pages at 1366×768: /tmp/login.png, /tmp/desk.png, …
SCREENSHOTS = Path(tempfile.gettempdir())


def _sample_desk(user):
    today = timezone.localdate()
    return [
        DeskItem(
            "督办",
            "市区老旧小区改造年度任务进展",
            "/supervision/12/",
            today + datetime.timedelta(20),
            "green",
            "进展反馈",
        ),
        DeskItem(
            "收文",
            "关于做好2026年防汛防台风工作的通知",
            "/documents/31/",
            today - datetime.timedelta(3),
            "red",
            "待拟办",
        ),
        DeskItem(
            "发文",
            "珠府办函〔2026〕7号 关于调整市政府领导分工的函",
            "/documents/45/",
            today + datetime.timedelta(2),
            "yellow",
            "待签发",
        ),
        DeskItem(
            "建议提案",
            "第0123号 关于加强中小学课后服务的建议",
            "/proposals/123/",
            today + datetime.timedelta(40),
            "green",
            "待答复",
        ),
        DeskItem(
            "会议",
            "市政府第12次常务会议纪要",
            "/meetings/12/",
            today - datetime.timedelta(1),
            "red",
            "待审核",
        ),
    ]


def test_secretary_signs_in_and_sees_the_desk(live_server, personas, page, monkeypatch):
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.get_by_role("heading", name="政务办公")).to_be_visible()
    expect(page.get_by_text("珠海市人民政府办公室").first).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "login.png")

    page.get_by_label("用户名").fill("mishu")
    page.get_by_label("密码").fill("Demo@2026x")
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.locator(".shell-user-name")).to_have_text("王秘书")
    expect(page.get_by_text("暂无待办事项")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "desk.png")

    # Work arrives: the desk providers of the duty apps and three notifications.
    monkeypatch.setattr(registry, "_desk", [_sample_desk])
    secretary = personas["secretary"]
    notify(
        [secretary],
        title="市教育局来文《关于秋季学期开学准备情况的报告》待签收",
        url="/documents/31/",
    )
    notify(
        [secretary], title="李副市长已批示：请市住建局牵头办理", url="/documents/45/", urgent=True
    )
    notify([secretary], title="督办事项“老旧小区改造”本月进展待反馈", url="/supervision/12/")
    page.reload()
    expect(page.locator("#shell-unread")).to_contain_text("3")
    rows = page.locator(".desk-table tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.first.locator(".light")).to_have_text("逾期")
    expect(rows.last.locator(".light")).to_have_text("正常")
    page.screenshot(path=SCREENSHOTS / "desk-notifications.png")

    page.get_by_role("link", name="全部通知").click()
    expect(page.get_by_role("heading", name="通知", exact=True)).to_be_visible()
    expect(page.locator(".note-unread")).to_have_count(3)
    page.screenshot(path=SCREENSHOTS / "notifications.png")
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.get_by_text("已将 3 条通知标为已读。")).to_be_visible()
    expect(page.locator("#shell-unread")).to_be_hidden()

    page.locator(".shell-user").click()
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/login/$"))


def _poll_badge_every_second(page):
    """The bell polls every 60 s; the journey cannot wait that long, so it polls faster here."""
    page.evaluate(
        """() => {
            const badge = document.getElementById("shell-unread");
            badge.setAttribute("hx-trigger", "every 1s [officeShell.recentlyActive()]");
            htmx.process(badge);
        }"""
    )


def test_bell_refreshes_and_an_ended_session_goes_back_to_login(live_server, personas, page):
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill("mishu")
    page.get_by_label("密码").fill("Demo@2026x")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.locator("#shell-unread")).to_be_hidden()

    notify([personas["secretary"]], title="市政府第12次常务会议通知", url="/meetings/12/")
    _poll_badge_every_second(page)
    page.mouse.move(200, 200)
    expect(page.locator("#shell-unread")).to_contain_text("1")

    Session.objects.all().delete()  # the idle timeout ended the session
    _poll_badge_every_second(page)
    page.mouse.move(220, 220)
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.get_by_role("button", name="登录")).to_be_visible()
