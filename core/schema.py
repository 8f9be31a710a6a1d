"""The API's OpenAPI schema (drf-spectacular), truthful for the clients generated from it: every
operation lists, beside what it answers when all goes well, the errors it can answer, each with
its body. The errors come from one default set, chosen by what the operation has (a login, an
id in its path or query, a page, a filter, a write); a view's own `extend_schema(responses=)`
adds to it or overrides a code."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent, append_meta, get_lib_doc_excludes
from rest_framework import serializers

ERROR = {
    "type": "object",
    "description": "What went wrong, in the user's language.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# DRF's validation errors: a list of messages under each field that was wrong (nested bodies
# nest: a list's items have an object each), or the messages of the whole under `detail` or
# `non_field_errors`.
VALIDATION_ERROR = {
    "type": "object",
    "description": 'The messages under each field that was wrong: `{"field": ["..."]}`; '
    'nested bodies nest (a line of a list under its index); `{"detail": "..."}` for the whole.',
    "additionalProperties": {
        "anyOf": [
            {"type": "string"},
            {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
            {"type": "object"},
        ]
    },
}
# Each error's body, what it means and an example as a Chinese user's client receives it.
ERRORS = {
    "400": (
        "ValidationError",
        "The request was refused: what was wrong, by field.",
        {"lines": [{}, {"days": ["请输入有效的数字。"]}]},
    ),
    "401": ("Error", "No valid token (or session) was given.", {"detail": "认证令牌无效。"}),
    "403": ("Error", "The user's role may not do this.", {"detail": "您没有执行该操作的权限。"}),
    "404": (
        "Error",
        "No such object among those the user may see (or no such page).",
        {"detail": "未找到。"},
    ),
    "409": (  # a conflict may name its field: `{"replaces": ["a newer version exists"]}`
        "ValidationError",
        "The object is in a state that does not allow this, or another user is changing it "
        "right now: read it again and retry.",
        {"detail": "其他用户正在修改相同的记录，本次操作未保存任何内容，请稍后重试。"},
    ),
    "429": (
        "Error",
        "Too many requests: retry after the seconds in Retry-After.",
        {"detail": "请求超过了限速。"},
    ),
}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# A time of day as DRF writes it ("19:30:00"); OpenAPI's format "time" wants a UTC offset.
TIME = {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "example": "19:30:00"}


def lib_doc_excludes() -> list[type]:
    """Where spectacular stops looking for a description in a class's bases: DRF's classes, as
    by default, and the project's own bases of serializers and views (their docstrings are
    written for us, not for a client: `Meta.create_only_fields`...)."""
    from core import history, rest

    ours = [
        value
        for module in (rest, history)
        for value in vars(module).values()
        if isinstance(value, type) and value.__module__ == module.__name__
    ]
    return [*get_lib_doc_excludes(), *ours]


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            # A filter's label (in the portal's language) would name the client's enum class.
            parameter["schema"].pop("title", None)
        responses = operation["responses"]
        for code in self._error_codes(operation):
            name, description, example = ERRORS[code]
            body = {"schema": self._component(name), "example": example}
            responses.setdefault(
                code, {"description": description, "content": {"application/json": body}}
            )
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def map_parsers(self):
        """JSON bodies where a view reads JSON: its forms are the browsable API's, and a body
        offered in three encodings makes a generated client send the last one (multipart,
        which cannot nest a list of lines); an upload's view reads multipart only."""
        media_types = super().map_parsers()
        return ["application/json"] if "application/json" in media_types else media_types

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, serializers.TimeField):
            return append_meta(dict(TIME), self._get_serializer_field_meta(field, direction))
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _error_codes(self, operation) -> list[str]:
        parameters = operation.get("parameters", [])
        codes = ["429"]
        if {} not in operation.get("security", [{}]):  # a login is required
            codes += ["401", "403"]
        if parameters:  # an id in the path or the query, a page
            codes.append("404")
        if self.method in WRITES:
            codes += ["400", "409"]
        elif any(p["in"] == "query" for p in parameters):
            codes.append("400")
        return codes

    def _component(self, name) -> dict:
        schema = VALIDATION_ERROR if name == "ValidationError" else ERROR
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name
        )
        self.registry.register_on_missing(component)
        return component.ref
