from django import forms
from django.utils.translation import gettext_lazy as _

from orders.models import Order
from staffing.models import StaffMember


class RectificationForm(forms.Form):
    """整改通知 as procurement writes it: the order, perhaps one of its contract's people."""

    order = forms.ModelChoiceField(queryset=Order.objects.none(), label=_("Order"))
    staff = forms.ModelChoiceField(
        queryset=StaffMember.objects.none(),
        required=False,
        label=_("Staff member"),
        help_text=_("Only when the request is about one person."),
    )
    description = forms.CharField(
        label=_("What is wrong"), widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        orders = Order.objects.visible_to(user).filter(status__in=Order.OPEN)
        self.fields["order"].queryset = orders.select_related("contract")
        staff = StaffMember.objects.visible_to(user)
        if order is not None:
            self.fields["order"].initial = order.pk
            staff = staff.filter(contract_id=order.contract_id)
        self.fields["staff"].queryset = staff.order_by("name")
