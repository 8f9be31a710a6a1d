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
    """Admins create anyone; procurement creates its own buyer's and its vendors' people."""
    if (
        organization is not None
        and not Organization.objects.managed_by(actor).filter(pk=organization.pk).exists()
    ):
        raise AccountError(
            _("You cannot create logins for this organization."), field="organization"
        )
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


ORGANIZATION_FIELDS = (
    "name",
    "kind",
    "tax_id",
    "address",
    "legal_representative",
    "bank_name",
    "bank_account",
    "phone",
)


@transaction.atomic
def organization_save(
    *, actor: User, organization: Organization | None = None, **fields
) -> Organization:
    """Procurement keeps its own buyer's and its vendors' details; only an admin adds a buyer.

    The kind of an organization never changes once it exists.
    """
    if organization is None:
        organization = Organization(kind=fields.get("kind"))
        if organization.kind != Organization.Kind.VENDOR and not actor.sees_everything:
            raise AccountError(_("Only an administrator adds a buyer organization."), field="kind")
    elif not Organization.objects.managed_by(actor).filter(pk=organization.pk).exists():
        raise AccountError(
            _("This vendor also works for other buyers: an administrator keeps its details.")
        )
    for name in ORGANIZATION_FIELDS:
        if name in fields and name != "kind":
            setattr(organization, name, fields[name])
    if Organization.objects.filter(name=organization.name).exclude(pk=organization.pk).exists():
        raise AccountError(_("An organization of this name exists already."), field="name")
    organization.save()
    return organization
