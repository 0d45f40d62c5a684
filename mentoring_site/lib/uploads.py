"""Uploaded files are checked before they are kept: the name's extension and the file's first
bytes must agree on one of the allowed kinds (a renamed file is not what it claims to be), and
the size stays within ``settings.UPLOAD_MAX_BYTES``. Consent scans, evidence of events and of
roadmap activities, materials of best practices all go through ``CheckedFileField``."""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy


@dataclass(frozen=True)
class FileKind:
    label: str
    extensions: tuple[str, ...]
    signatures: tuple[bytes, ...]


# DOCX, XLSX and PPTX are zip archives, so they start with the zip signature «PK».
ZIP = (b"PK\x03\x04",)
KINDS = {
    "pdf": FileKind("PDF", ("pdf",), (b"%PDF-",)),
    "docx": FileKind("DOCX", ("docx",), ZIP),
    "xlsx": FileKind("XLSX", ("xlsx",), ZIP),
    "pptx": FileKind("PPTX", ("pptx",), ZIP),
    "jpg": FileKind("JPEG", ("jpg", "jpeg"), (b"\xff\xd8\xff",)),
    "png": FileKind("PNG", ("png",), (b"\x89PNG\r\n\x1a\n",)),
}
DOCUMENTS = ("pdf", "docx", "jpg", "png")


def file_kind(upload, kinds=DOCUMENTS) -> str | None:
    """The kind of the uploaded file (a key of ``KINDS`` among ``kinds``) when its name and its
    first bytes agree; ``None`` otherwise."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for name in kinds:
        kind = KINDS[name]
        if extension in kind.extensions and head.startswith(kind.signatures):
            return name
    return None


def kinds_text(kinds) -> str:
    """«PDF, DOCX, JPEG или PNG»."""
    labels = [KINDS[name].label for name in kinds]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} или {labels[-1]}"


def upload_help_text(kinds=DOCUMENTS, what: str = "") -> str:
    """«Фото, скан или документ: PDF, DOCX, JPEG или PNG, не больше 10,0 МБ.»"""
    limit = filesizeformat(settings.UPLOAD_MAX_BYTES)
    prefix = f"{what}: " if what else ""
    return f"{prefix}{kinds_text(kinds)}, не больше {limit}."


class CheckedFileField(forms.FileField):
    """A file of one of ``kinds`` within the upload limit. ``what`` opens the help text
    («Фото, скан или документ»); ``noun`` names the file in the error («файл», «скан»);
    ``rename`` — a base name the clean file gets («scan» → «scan.pdf»), for uploads whose own
    name may hold a surname."""

    def __init__(self, *, kinds=DOCUMENTS, what="", noun="файл", rename="", **kwargs):
        self.kinds, self.noun, self.rename = tuple(kinds), noun, rename
        accept = ",".join(f".{ext}" for name in self.kinds for ext in KINDS[name].extensions)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": accept}))
        # Lazy: the limit is read when the form is shown, not when the module is imported.
        kwargs.setdefault("help_text", lazy(upload_help_text, str)(self.kinds, what))
        super().__init__(**kwargs)

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"Файл слишком большой: {filesizeformat(upload.size)}. "
                f"Можно не больше {filesizeformat(settings.UPLOAD_MAX_BYTES)}."
            )
        kind = file_kind(upload, self.kinds)
        if kind is None:
            raise forms.ValidationError(
                f"Загрузите {self.noun} в формате {kinds_text(self.kinds)}: этот файл не похож "
                "на такой."
            )
        if self.rename:
            upload.name = f"{self.rename}.{kind}"
        return upload
