"""A PDF writer that streams: objects go to the file as they are made.

A print run of 10,000 copies is 30,000 pages. Building it in memory (pikepdf,
pypdf, reportlab) costs memory in proportion to the run; this writer keeps only
each object's offset, so memory stays flat while the pages stream out. The
shared parts (each template page's content stream, fonts) are written once and
referred to by every copy.
"""

from __future__ import annotations

import struct
import zlib
from array import array
from decimal import Decimal
from typing import BinaryIO

import pikepdf


def _name(name: str) -> bytes:
    out = bytearray(b"/")
    for byte in name.lstrip("/").encode("utf-8"):
        if byte < 33 or byte > 126 or byte in b"#()<>[]{}/%":
            out += b"#%02X" % byte
        else:
            out.append(byte)
    return bytes(out)


def _string(raw: bytes) -> bytes:
    return b"<" + raw.hex().encode() + b">"


class StreamWriter:
    """Write a PDF object by object; `finish` writes the cross-reference table."""

    def __init__(self, fh: BinaryIO):
        self.fh = fh
        # object number → offset (0 is the free head): 8 bytes an object, so a run of
        # 100,000 pages keeps under 4 MB here
        self.offsets = array("q", [0])
        self.position = 0
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        # What was copied from each source document: id(pdf) → (pdf, its object → ours).
        # An object number means something only inside its own document: a run's
        # Swedish and English templates both have an object 5 0 R. Keyed by number
        # alone, the English copies were printed with the Swedish pages (issue 13).
        # The pdf is held so that its id cannot be reused while we write.
        self._imported: dict[int, tuple[pikepdf.Pdf, dict[tuple[int, int], int]]] = {}

    def _write(self, data: bytes) -> None:
        self.fh.write(data)
        self.position += len(data)

    def reserve(self) -> int:
        """A number for an object written later (so others can refer to it first)."""
        self.offsets.append(-1)
        return len(self.offsets) - 1

    def write(self, body: bytes, number: int | None = None) -> int:
        if number is None:
            number = self.reserve()
        self.offsets[number] = self.position
        self._write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
        return number

    def write_packed(self, items: list[tuple[int, bytes]]) -> None:
        """Objects (reserved number, body) written together in one compressed object
        stream: many small objects (a print-run copy's structure elements) take a
        fraction of the room, and the file then ends with a cross-reference stream.

        An object's place is kept in `offsets` as -2 - (stream << 16 | index), so
        memory stays 8 bytes an object; a stream holds at most 65,536 objects.
        """
        if not items:
            return
        if len(items) > 0xFFFF:
            raise ValueError("too many objects for one object stream")
        stream = self.reserve()
        header, bodies, position = [], [], 0
        for index, (number, body) in enumerate(items):
            header.append(b"%d %d" % (number, position))
            bodies.append(body)
            position += len(body) + 1
            self.offsets[number] = -2 - (stream << 16 | index)
        head = b" ".join(header) + b"\n"
        self.write_stream(
            head + b"\n".join(bodies),
            b" /Type /ObjStm /N %d /First %d" % (len(items), len(head)),
            number=stream,
        )

    def write_stream(
        self, data: bytes, extra: bytes = b"", number: int | None = None, compress: bool = True
    ) -> int:
        if compress:
            data = zlib.compress(data, 1)
            extra += b" /Filter /FlateDecode"
        body = b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"
        return self.write(body, number)

    # -- objects from a pikepdf document ---------------------------------------------

    def import_object(self, obj, source: pikepdf.Pdf) -> bytes:
        """`obj` of document `source`, serialised for this file; indirect objects of
        one source are copied once, and never mistaken for another source's."""
        _, copied = self._imported.setdefault(id(source), (source, {}))
        return self._import(obj, source, copied)

    def _import(self, obj, source: pikepdf.Pdf, copied: dict[tuple[int, int], int]) -> bytes:
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            if not obj.is_owned_by(source):
                raise ValueError(f"object {obj.objgen} does not belong to the source document")
            key = obj.objgen
            if key not in copied:
                number = self.reserve()
                copied[key] = number
                self._copy(obj, number, source, copied)
            return b"%d 0 R" % copied[key]
        return self._direct(obj, source, copied)

    def _copy(self, obj, number: int, source: pikepdf.Pdf, copied: dict) -> None:
        if isinstance(obj, pikepdf.Stream):
            raw = obj.read_raw_bytes()
            items = [(k, v) for k, v in obj.stream_dict.items() if k != "/Length"]
            extra = b"".join(
                b" " + _name(k) + b" " + self._import(v, source, copied) for k, v in items
            )
            body = b"<< /Length %d%s >>\nstream\n" % (len(raw), extra) + raw + b"\nendstream"
            self.write(body, number)
        else:
            self.write(self._direct(obj, source, copied), number)

    def _direct(self, obj, source: pikepdf.Pdf, copied: dict) -> bytes:
        if isinstance(obj, pikepdf.Dictionary):
            return (
                b"<< "
                + b" ".join(
                    _name(k) + b" " + self._import(v, source, copied) for k, v in obj.items()
                )
                + b" >>"
            )
        if isinstance(obj, pikepdf.Array):
            return b"[ " + b" ".join(self._import(v, source, copied) for v in obj) + b" ]"
        if isinstance(obj, pikepdf.Name):
            return _name(str(obj))
        if isinstance(obj, pikepdf.String):
            return _string(bytes(obj))
        if isinstance(obj, bool):
            return b"true" if obj else b"false"
        if isinstance(obj, int):
            return b"%d" % obj
        if isinstance(obj, (float, Decimal)):
            return b"%.6g" % float(obj)
        if obj is None:
            return b"null"
        if isinstance(obj, pikepdf.Object):  # a scalar pikepdf wraps
            return obj.unparse()
        raise TypeError(f"cannot write {type(obj).__name__}")

    # -- the end ------------------------------------------------------------------------

    def finish(self, root: int, info: int | None = None) -> None:
        if any(offset < -1 for offset in self.offsets):
            self._finish_with_xref_stream(root, info)
            return
        xref_at = self.position
        lines = [b"xref\n0 %d\n" % len(self.offsets), b"0000000000 65535 f \n"]
        for offset in self.offsets[1:]:
            if offset < 0:
                lines.append(b"0000000000 65535 f \n")  # reserved, never written
            else:
                lines.append(b"%010d 00000 n \n" % offset)
        self._write(b"".join(lines))
        trailer = b"<< /Size %d /Root %d 0 R" % (len(self.offsets), root)
        if info is not None:
            trailer += b" /Info %d 0 R" % info
        self._write(b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref_at)

    def _finish_with_xref_stream(self, root: int, info: int | None) -> None:
        """A cross-reference stream (PDF 1.5), which can say where packed objects
        are: each row is type (1 byte), offset or object stream (8), index (2)."""
        number = self.reserve()
        self.offsets[number] = self.position
        rows = bytearray(struct.pack(">BQH", 0, 0, 0xFFFF))
        for offset in self.offsets[1:]:
            if offset >= 0:
                rows += struct.pack(">BQH", 1, offset, 0)
            elif offset == -1:  # reserved, never written
                rows += struct.pack(">BQH", 0, 0, 0xFFFF)
            else:
                place = -2 - offset
                rows += struct.pack(">BQH", 2, place >> 16, place & 0xFFFF)
        data = zlib.compress(bytes(rows), 6)
        extra = b" /Type /XRef /Size %d /W [1 8 2] /Root %d 0 R" % (len(self.offsets), root)
        if info is not None:
            extra += b" /Info %d 0 R" % info
        xref_at = self.position
        self._write(
            b"%d 0 obj\n<< /Length %d%s /Filter /FlateDecode >>\nstream\n"
            % (number, len(data), extra)
            + data
            + b"\nendstream\nendobj\n"
        )
        self._write(b"startxref\n%d\n%%%%EOF\n" % xref_at)


def pdf_string(text: str) -> bytes:
    """A text string for the document information: PDFDocEncoding if it fits, else UTF-16."""
    try:
        raw = text.encode("latin-1")
        if all(32 <= b < 127 or b >= 160 for b in raw):
            return _string(raw)
    except UnicodeEncodeError:
        pass
    return _string(b"\xfe\xff" + text.encode("utf-16-be"))
