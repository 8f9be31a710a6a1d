from rest_framework import serializers, viewsets

from core.filters import UserFilter
from core.models import Organization, User
from core.rest import CreateOnlyFieldsMixin, VisibleQuerysetMixin, VisibleRelatedFieldsMixin
from core.services import organization_save, user_create


class UserSerializer(VisibleRelatedFieldsMixin, serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, style={"input_type": "password"})

    class Meta:
        model = User
        fields = ["id", "username", "password", "full_name", "email", "role", "organization"]
        # A login made here names its role (the model's default serves `createsuperuser`).
        extra_kwargs = {"role": {"required": True}}


class UserViewSet(VisibleQuerysetMixin, viewsets.ModelViewSet):
    queryset = User.objects.select_related("organization").order_by("username")
    serializer_class = UserSerializer
    write_roles = (User.Role.PROCUREMENT,)
    filterset_class = UserFilter
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = user_create(actor=self.request.user, **serializer.validated_data)


class OrganizationSerializer(CreateOnlyFieldsMixin, serializers.ModelSerializer):
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
        create_only_fields = ["kind"]
        validators = []  # the service names a clash in the user's words


class OrganizationViewSet(VisibleQuerysetMixin, viewsets.ModelViewSet):
    queryset = Organization.objects.all()
    serializer_class = OrganizationSerializer
    write_roles = (User.Role.PROCUREMENT,)
    filterset_fields = ["kind"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = organization_save(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = organization_save(
            actor=self.request.user, organization=serializer.instance, **serializer.validated_data
        )
