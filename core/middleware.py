import uuid

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.locks import BUSY_MESSAGE, is_busy
from core.logs import current_request


class RequestIdMiddleware:
    """Each request gets an id: in every log line it causes (core.logs) and in the X-Request-ID
    header of its answer, so that a user's report of an error finds its traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = uuid.uuid4().hex
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response.headers["X-Request-ID"] = request.id
        return response


class LanguageMiddleware:
    """The portal speaks Chinese unless the user picked another language with the switch.

    A browser's Accept-Language does not count for pages (an English browser still gets the
    Chinese product), nor for their scripts' calls to the API, which carry the page's session
    (a job's summary speaks the page's language); REST clients, which have no switch, may ask
    for a language with it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = dict(settings.LANGUAGES)

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        rest_client = (
            request.path.startswith("/api/") and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
        if language not in self.supported and rest_client:
            language = translation.get_language_from_request(request)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class BusyMiddleware:
    """A request whose lock could not be had in time (or lost a deadlock) answers 409 with
    "try again", never 500; its transaction is already rolled back. DRF answers its own views'
    (core.rest.exception_handler); this catches the pages and what runs at commit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_busy(exception):
            return None
        if request.path.startswith("/api/"):  # raised outside DRF's view (a task at commit)
            return JsonResponse({"detail": _(BUSY_MESSAGE)}, status=409)
        back = request.get_full_path()
        if request.method != "GET":  # back to the form the request came from
            back = request.headers.get("Referer", "")
            if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
                back = ""
        return render(
            request, "core/busy.html", {"message": _(BUSY_MESSAGE), "back": back}, status=409
        )
