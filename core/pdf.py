"""PDF documents from HTML templates (WeasyPrint), in Chinese, reading nothing from disk or net."""

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetchingError


def _refuse_fetch(url, timeout=10, ssl_context=None):
    """Documents carry everything inline; a template may not read file:// or the network."""
    raise URLFetchingError(f"fetching {url} is not allowed")


def render_html(template_name: str, context: dict) -> str:
    """The template rendered in Chinese, as the buyer's documents are."""
    with translation.override("zh-hans"):
        return render_to_string(template_name, context)


def html_pdf(html: str) -> bytes:
    return HTML(string=html, url_fetcher=_refuse_fetch, base_url="about:blank").write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    return html_pdf(render_html(template_name, context))
