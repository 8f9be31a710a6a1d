from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.models import Organization, User

ROLES_BY_KIND = {
    Organization.Kind.BUYER: {User.Role.PROCUREMENT, User.Role.FINANCE},
    Organization.Kind.VENDOR: {User.Role.VENDOR_PM},
}


class AccountError(DomainError):
    code = "account"


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    password: str,
    role: str,
    organization: Organization | None = None,
    full_name="",
    email="",
) -> User:
    """Admins create anyone; procurement creates its own buyer's and the vendors' people."""
    if role == User.Role.ADMIN and not actor.sees_everything:
        raise AccountError(_("Only an administrator creates administrators."), field="role")
    if role != User.Role.ADMIN:
        if organization is None:
            raise AccountError(_("This role belongs to an organization."), field="organization")
        if role not in ROLES_BY_KIND[organization.kind]:
            raise AccountError(
                _("A %(kind)s organization has no %(role)s.")
                % {"kind": organization.get_kind_display(), "role": User.Role(role).label},
                field="role",
            )
    if User.objects.filter(username=username).exists():
        raise AccountError(_("This username is taken."), field="username")
    user = User(
        username=username, role=role, organization=organization, full_name=full_name, email=email
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise AccountError(error.messages[0], field="password", messages=error.messages) from error
    user.set_password(password)
    user.save()
    return user


def organization_check(*, actor: User, organization: Organization) -> None:
    """Procurement keeps vendors' details (and its own); only an admin adds another buyer."""
    own = organization.pk is not None and organization.pk == actor.organization_id
    if not actor.sees_everything and organization.kind != Organization.Kind.VENDOR and not own:
        raise AccountError(_("Only an administrator adds a buyer organization."), field="kind")
