"""Work chat (issue 23, optional, off by default): an organisation's administrator may add one
group robot, 企业微信 (WeCom) or 钉钉 (DingTalk); each event told to its users is posted there
once, however many of them were told, in the robot's JSON markdown format: WeCom
`{"msgtype": "markdown", "markdown": {"content": …}}` (at most 4096 bytes), DingTalk
`{"msgtype": "markdown", "markdown": {"title": …, "text": …}}`, signed when the robot has a
secret (加签: `timestamp` in ms and `sign`, the base64 HMAC-SHA256 of "timestamp\\nsecret",
URL-encoded). Nothing is posted for an organisation without a robot or with it disabled. A
robot that refuses (errcode ≠ 0) or is down is tried again, without posting twice to the
others. The robots are a local HTTP stub."""

import base64
import hashlib
import hmac
import time
import urllib.error
import urllib.parse

import pytest
from celery.exceptions import Retry
from django.db import transaction

from core.models import User
from notifications.chat import ChatError
from notifications.models import ChatWebhook
from notifications.services import notify
from notifications.tasks import chat_post_task
from tests.factories import OrganizationFactory, UserFactory
from tests.notifications.stubs import RobotStub, closed_port

WECOM = "/cgi-bin/webhook/send"
DINGTALK = "/robot/send"
SECRET = "SEC0123456789abcdef"


@pytest.fixture
def robots():
    with RobotStub() as stub:
        yield stub


def users(organization, role, count):
    return [
        UserFactory(username=f"{organization.pk}-{role}-{n}", role=role, organization=organization)
        for n in range(count)
    ]


@pytest.fixture
def hooks(robots, buyer, vendor):
    return {
        "buyer": ChatWebhook.objects.create(
            organization=buyer, platform="wecom", url=robots.url(f"{WECOM}?key=wecom-key")
        ),
        "vendor": ChatWebhook.objects.create(
            organization=vendor,
            platform="dingtalk",
            url=robots.url(f"{DINGTALK}?access_token=ding-token"),
            secret=SECRET,
        ),
    }


def sheet_signed(recipients, text="2026-10 结算单已双方签署", url="/settlements/3/"):
    with transaction.atomic():
        return notify("sheet_signed", recipients, message=text, url=url)


@pytest.mark.django_db
def test_each_platform_its_format_once_per_organisation(
    robots, hooks, buyer, vendor, settings, eager, django_capture_on_commit_callbacks
):
    settings.PORTAL_URL = "https://portal.example.cn"
    finance = users(buyer, User.Role.FINANCE, 3)
    pms = users(vendor, User.Role.VENDOR_PM, 2)
    before = round(time.time() * 1000)
    with django_capture_on_commit_callbacks(execute=True):
        sheet_signed(finance + pms)
    after = round(time.time() * 1000)

    link = "https://portal.example.cn/settlements/3/"
    content = f"2026-10 结算单已双方签署\n\n[{link}]({link})"
    assert len(robots.posts) == 2
    by_path = {post["path"]: post for post in robots.posts}
    wecom, dingtalk = by_path[WECOM], by_path[DINGTALK]
    assert wecom["query"] == {"key": ["wecom-key"]}
    assert wecom["content_type"] == "application/json; charset=utf-8"
    assert wecom["json"] == {"msgtype": "markdown", "markdown": {"content": content}}
    assert len(content.encode()) <= 4096

    assert dingtalk["json"] == {
        "msgtype": "markdown",
        "markdown": {"title": "2026-10 结算单已双方签署", "text": content},
    }
    query = dingtalk["query"]
    assert query["access_token"] == ["ding-token"]
    [timestamp] = query["timestamp"]
    assert before <= int(timestamp) <= after
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]
    # Sent URL-encoded ('+', '/' and '=' of base64 escaped), as DingTalk asks.
    assert f"&sign={urllib.parse.quote_plus(expected)}" in dingtalk["raw_query"]

    # Another event, without a link: one more post each.
    robots.posts.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sheet_signed(finance[:1] + pms[:1], text="2026-11 结算单已双方签署", url="")
    assert sorted(str(post["json"]["markdown"]) for post in robots.posts) == [
        "{'content': '2026-11 结算单已双方签署'}",
        "{'title': '2026-11 结算单已双方签署', 'text': '2026-11 结算单已双方签署'}",
    ]


@pytest.mark.django_db
def test_nothing_without_a_robot_or_with_it_disabled(
    robots, hooks, vendor, eager, django_capture_on_commit_callbacks
):
    hooks["vendor"].enabled = False
    hooks["vendor"].save()
    no_robot = OrganizationFactory(name="丙供应商有限公司")
    with django_capture_on_commit_callbacks(execute=True):
        sheet_signed(
            users(vendor, User.Role.VENDOR_PM, 1) + users(no_robot, User.Role.VENDOR_PM, 2)
        )
    assert robots.posts == []


@pytest.mark.django_db
def test_refused_or_down_is_tried_again(robots, hooks, buyer):
    [notification] = sheet_signed(users(buyer, User.Role.PROCUREMENT, 1))
    hook = hooks["buyer"]

    # WeCom answers "too many messages" (45009): retried, and the retry is posted.
    robots.answers[WECOM] = [{"errcode": 45009, "errmsg": "api freq out of limit"}]
    with pytest.raises(Retry) as retry:
        chat_post_task.apply(args=[hook.pk, notification.pk])
    assert isinstance(retry.value.exc, ChatError)
    assert 0 <= retry.value.when <= 2
    retry.value.sig.apply().get()
    assert len(robots.posts) == 2

    # The robot cannot be reached: retried too.
    hook.url = f"http://127.0.0.1:{closed_port()}{WECOM}?key=wecom-key"
    hook.save()
    with pytest.raises(Retry) as retry:
        chat_post_task.apply(args=[hook.pk, notification.pk])
    assert isinstance(retry.value.exc, urllib.error.URLError)
    assert len(robots.posts) == 2


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_retries_one_robot_without_posting_twice_to_the_other(
    robots, buyer, vendor, celery_worker
):
    if celery_worker is None:
        pytest.skip("needs a broker (REDIS_URL) for a real worker")
    ChatWebhook.objects.create(organization=buyer, platform="wecom", url=robots.url(WECOM))
    ChatWebhook.objects.create(organization=vendor, platform="dingtalk", url=robots.url(DINGTALK))
    robots.answers[WECOM] = [{"errcode": -1, "errmsg": "system busy"}]
    sheet_signed(users(buyer, User.Role.FINANCE, 2) + users(vendor, User.Role.VENDOR_PM, 2))

    def posted(path):
        return [post for post in robots.posts if post["path"] == path]

    wait_for(lambda: len(posted(WECOM)) == 2 and len(posted(DINGTALK)) == 1)
    time.sleep(2)  # a post twice would have come by now
    assert (len(posted(WECOM)), len(posted(DINGTALK))) == (2, 1)


@pytest.mark.django_db
def test_no_chat_task_without_an_enabled_robot(
    robots, hooks, buyer, vendor, other_vendor, django_capture_on_commit_callbacks
):
    """The chat task is queued only when a recipient's organisation has an enabled robot."""
    hooks["vendor"].enabled = False
    hooks["vendor"].save()
    # The factory's users have no address: no mail task either.
    for organization, tasks in ((other_vendor, 0), (vendor, 0), (buyer, 1)):
        with django_capture_on_commit_callbacks() as queued:
            sheet_signed(users(organization, User.Role.PROCUREMENT, 2))
        assert len(queued) == tasks, organization
