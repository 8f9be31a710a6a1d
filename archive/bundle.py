"""A contract's archive (`contracts/<id>/archive/`): the current version of every paper of the
contract and of its orders, staff, sheets, invoices and payments (whatever is registered), with
the files the apps above hand down (the orders' 附件6, the scores' 附件2 and the signed sheets'
附件7 as PDFs, the ledger of the signed sheets, the invoices and payments). The zip is written
as it is sent, each paper read from storage in pieces and each PDF rendered when its turn comes:
never whole in memory."""

import zipfile
from collections.abc import Callable, Iterator

from django.contrib.contenttypes.models import ContentType
from django.http import Http404, StreamingHttpResponse
from django.utils.http import content_disposition_header

from archive.models import Document
from archive.targets import TARGETS

# (contract, user) → the (file name, content) of files every contract's archive carries; a
# content is bytes, or a function giving them (a PDF rendered when it is written).
PARTS: list[Callable] = []
CHUNK = 64 * 1024


def add_part(part: Callable) -> None:
    PARTS.append(part)


def contract_papers(contract, user) -> list[tuple[str, Document]]:
    """(path in the zip, document) of the current papers of the contract and of every object
    under it that the user sees: `<what>/<which>/<kind> v<n> <file name>`."""
    papers, taken = [], set()
    for target in TARGETS.values():
        under = target.model.objects.visible_to(user).filter(**{target.contract: contract.pk})
        objects = {obj.pk: obj for obj in under}
        documents = Document.objects.current().filter(
            content_type=ContentType.objects.get_for_model(target.model),
            object_id__in=objects,
        )
        for document in documents.order_by("object_id", "kind", "pk"):
            folder = f"{_safe(target.label)}/{_safe(str(objects[document.object_id]))}"
            title = f"{document.get_kind_display()} v{document.version}"
            path = f"{folder}/{title} {document.name}"
            if path in taken:  # two papers of one name: told apart by their number
                path = f"{folder}/{title} ({document.pk}) {document.name}"
            taken.add(path)
            papers.append((path, document))
    return papers


def contract_archive_response(pk, user) -> StreamingHttpResponse:
    """The zip of contract `pk`'s papers, for who sees the contract (anyone else: 404)."""
    contract = TARGETS["contract"].model.objects.visible_to(user).filter(pk=pk).first()
    if contract is None:
        raise Http404
    parts = (file for part in PARTS for file in part(contract, user))
    response = StreamingHttpResponse(
        _zipped(contract_papers(contract, user), parts), content_type="application/zip"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{contract.code}-档案.zip")
    response["X-Content-Type-Options"] = "nosniff"
    return response


class _Pipe:
    """Where the zip writes; what it wrote is handed on as the response is sent (the zip
    writes to a stream it cannot seek in with data descriptors, as zipfile does)."""

    def __init__(self):
        self.pieces = []

    def write(self, data) -> int:
        self.pieces.append(bytes(data))
        return len(data)

    def flush(self):
        """Nothing is buffered here: the response takes each piece as it is drained."""

    def drain(self) -> list[bytes]:
        """What was written since, as one piece (none when nothing was)."""
        data = b"".join(self.pieces)
        self.pieces.clear()
        return [data] if data else []


def _zipped(papers, parts) -> Iterator[bytes]:
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, document in papers:
            with document.file.open("rb") as source, archive.open(path, "w") as entry:
                while chunk := source.read(CHUNK):
                    entry.write(chunk)
                    yield from pipe.drain()
        for name, content in parts:
            archive.writestr(name, content() if callable(content) else content)
            yield from pipe.drain()
    yield from pipe.drain()


def _safe(label: str) -> str:
    """A folder name: a label's slashes (产品/平台服务) would make folders of their own."""
    return label.replace("/", "／").replace("\\", "＼")
