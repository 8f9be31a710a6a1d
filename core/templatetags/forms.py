from django import template

from core.forms import row_label

register = template.Library()

# {% row_label forloop.counter _("Item") %}: a field of a table's row, named for a screen reader.
register.simple_tag(row_label)
