from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """The portal speaks Chinese unless the user picked another language with the switch.

    A browser's Accept-Language does not count for pages (an English browser still gets the
    Chinese product); REST clients, which have no switch, may ask for a language with it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = dict(settings.LANGUAGES)

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported and request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
