from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef

from archive.models import Document
from archive.targets import TARGETS, target_of_model


def _of(obj) -> dict:
    """The lookups of an object's papers."""
    content_type = ContentType.objects.get_for_model(target_of_model(type(obj)).model)
    return {"content_type": content_type, "object_id": obj.pk}


def documents_current():
    """The current version of every paper, with who uploaded it (an object's, prefetched)."""
    return Document.objects.current().select_related("uploaded_by")


def documents_of(obj):
    """The object's papers, the current version of each."""
    return documents_current().filter(**_of(obj))


def missing_kinds(obj) -> list[str]:
    """The kinds the object is expected to carry (its target's `expected`) that it lacks."""
    present = set(Document.objects.filter(**_of(obj)).values_list("kind", flat=True))
    return [kind for kind in target_of_model(type(obj)).expected if kind not in present]


def document_versions(obj) -> list[tuple[Document, list[Document]]]:
    """(current version, its older versions newest first) of each of the object's papers."""
    papers = Document.objects.filter(**_of(obj)).select_related("uploaded_by")
    documents = {d.pk: d for d in papers.order_by("-version")}
    replaced = {d.previous_id for d in documents.values()}
    chains = []
    for document in documents.values():
        if document.pk in replaced:
            continue
        older, previous = [], document.previous_id
        while previous is not None:
            older.append(documents[previous])
            previous = documents[previous].previous_id
        chains.append((document, older))
    rank = {kind: n for n, kind in enumerate(target_of_model(type(obj)).kinds)}
    chains.sort(key=lambda chain: (rank.get(chain[0].kind, len(rank)), chain[0].pk))
    return chains


def document_list(*, user):
    """The papers the user may see, each saying whether it is the current version."""
    newer = Document.objects.filter(previous=OuterRef("pk"))
    return (
        Document.objects.visible_to(user)
        .select_related("uploaded_by")
        .annotate(is_current=~Exists(newer))
        .order_by("-uploaded_at", "-pk")
    )


def target_object(name: str, pk, user):
    """The object registered as `name` with this key, if the user sees it; else None."""
    target = TARGETS.get(name)
    if target is None or not str(pk).isdigit():
        return None
    return target.model.objects.visible_to(user).filter(pk=pk).first()
