import django_filters

from core.models import Organization, User


class MonthFilter(django_filters.DateFilter):
    """`?month=YYYY-MM` on a month-bearing list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m"])
        super().__init__(*args, **kwargs)


def visible(model):
    """A filter's choices limited to what the user may see, so that filtering on another
    vendor's id answers "not a valid choice" exactly like an id that does not exist."""

    def choices(request):
        if request is None or not request.user.is_authenticated:
            return model.objects.none()
        return model.objects.visible_to(request.user)

    return choices


class UserFilter(django_filters.FilterSet):
    organization = django_filters.ModelChoiceFilter(queryset=visible(Organization))

    class Meta:
        model = User
        fields = ["role", "organization"]
