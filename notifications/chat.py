"""Posting to a work-chat group robot: 企业微信 (WeCom) and 钉钉 (DingTalk) both take a JSON
markdown message at their webhook URL; DingTalk's signed robots also take a timestamp and an
HMAC-SHA256 signature of it in the query string."""

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request

from notifications.models import ChatWebhook
from notifications.services import absolute

TIMEOUT_SECONDS = 10


class ChatError(Exception):
    """The robot refused the post (its answer's errcode is not 0)."""


def message(hook: ChatWebhook, text: str, url: str) -> dict:
    """The robot's markdown message: the text and its link. WeCom takes at most 4096 bytes of
    content; a notification's 500 characters and its link twice stay well below."""
    link = absolute(url)
    content = f"{text}\n\n[{link}]({link})" if url else text
    if hook.platform == ChatWebhook.Platform.DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": text[:60], "text": content}}
    return {"msgtype": "markdown", "markdown": {"content": content}}


def signed(hook: ChatWebhook) -> str:
    if not (hook.platform == ChatWebhook.Platform.DINGTALK and hook.secret):
        return hook.url
    timestamp = str(round(time.time() * 1000))
    digest = hmac.new(
        hook.secret.encode(), f"{timestamp}\n{hook.secret}".encode(), hashlib.sha256
    ).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    separator = "&" if "?" in hook.url else "?"
    return f"{hook.url}{separator}timestamp={timestamp}&sign={sign}"


def post(hook: ChatWebhook, text: str, url: str) -> None:
    request = urllib.request.Request(
        signed(hook),
        data=json.dumps(message(hook, text, url), ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
        body = json.loads(answer.read() or b"{}")
    if body.get("errcode", 0) != 0:
        raise ChatError(body.get("errmsg", "refused"))
