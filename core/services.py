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
    """Admins create anyone; procurement its own buyer's people and those of the vendors it
    keeps (`managed_by`); a vendor's PM its own vendor's."""
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
    "postcode",
    "legal_representative",
    "bank_name",
    "bank_account",
    "phone",
    "requires_signed_contract",
)
BANK_FIELDS = ("bank_name", "bank_account")


@transaction.atomic
def organization_save(
    *, actor: User, organization: Organization | None = None, **fields
) -> Organization:
    """Procurement adds vendors (its buyer recorded as their creator); whoever `managed_by`
    names keeps the details; only an admin adds a buyer.

    The kind of an organization never changes once it exists, and a vendor's (payee) account
    only through a confirmed change request (clause 4.6.3, `core.bank_accounts`) or by an
    administrator.
    """
    if organization is None:
        organization = Organization(kind=fields.get("kind"))
        if actor.is_vendor:
            raise AccountError(_("Only procurement or an administrator adds an organization."))
        if organization.kind != Organization.Kind.VENDOR and not actor.sees_everything:
            raise AccountError(_("Only an administrator adds a buyer organization."), field="kind")
        if not actor.sees_everything:
            organization.creator_id = actor.organization_id
    elif not Organization.objects.managed_by(actor).filter(pk=organization.pk).exists():
        if organization.vendor_contracts.exclude(buyer_id=actor.organization_id).exists():
            raise AccountError(
                _("This vendor also works for other buyers: an administrator keeps its details.")
            )
        raise AccountError(
            _("Only the organization's own people and an administrator change its details.")
        )
    elif organization.kind == Organization.Kind.VENDOR and not actor.sees_everything:
        for name in BANK_FIELDS:
            if name in fields and fields[name] != getattr(organization, name):
                raise AccountError(
                    _(
                        "The bank account changes only through a change request that the "
                        "buyers confirm (clause 4.6.3)."
                    ),
                    field=name,
                )
    for name in ORGANIZATION_FIELDS:
        if name in fields and name != "kind":
            setattr(organization, name, fields[name])
    if Organization.objects.filter(name=organization.name).exclude(pk=organization.pk).exists():
        raise AccountError(_("An organization of this name exists already."), field="name")
    organization.save()
    return organization
