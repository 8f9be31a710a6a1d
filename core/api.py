from rest_framework import serializers, viewsets

from core.filters import UserFilter
from core.models import Organization, User
from core.rest import VisibleQuerysetMixin, VisibleRelatedFieldsMixin
from core.services import organization_check, user_create


class UserSerializer(VisibleRelatedFieldsMixin, serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, style={"input_type": "password"})

    class Meta:
        model = User
        fields = ["id", "username", "password", "full_name", "email", "role", "organization"]


class UserViewSet(VisibleQuerysetMixin, viewsets.ModelViewSet):
    queryset = User.objects.select_related("organization").order_by("username")
    serializer_class = UserSerializer
    write_roles = (User.Role.PROCUREMENT,)
    filterset_class = UserFilter
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = user_create(actor=self.request.user, **serializer.validated_data)


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "kind",
            "tax_id",
            "address",
            "legal_representative",
            "bank_name",
            "bank_account",
            "phone",
        ]


class OrganizationViewSet(VisibleQuerysetMixin, viewsets.ModelViewSet):
    queryset = Organization.objects.all()
    serializer_class = OrganizationSerializer
    write_roles = (User.Role.PROCUREMENT,)
    filterset_fields = ["kind"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        organization_check(
            actor=self.request.user, organization=Organization(**serializer.validated_data)
        )
        serializer.save()

    def perform_update(self, serializer):
        organization = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(organization, name, value)
        organization_check(actor=self.request.user, organization=organization)
        serializer.save()
