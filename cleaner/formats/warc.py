"""WARC (.warc, .warc.gz) with warcio: every HTML response is a document, its URL the source.

A response whose HTTP status is not 2xx (a 404 page, a redirect's body, a server error) is the
server's page about the URL, not the URL's content: it is a document removed unread, its status
the reason, so that the manifest still accounts for every HTML response."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Failure, Removal
from ..extract import host
from ..options import Options
from .base import Raw, Source
from .streams import need

HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(source: Source, options: Options) -> Iterator[Raw | Failure]:
    need("warcio", "warc", "WARC input")
    from warcio.archiveiterator import ArchiveIterator

    number = 0
    try:
        with source.open() as handle:
            records = ArchiveIterator(handle)
            for record in records:
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                ctype = (record.http_headers.get_header("Content-Type") or "").lower()
                if not ctype.startswith(HTML_TYPES):
                    continue
                number += 1
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                origin, output = f"{source.rel}:{number}", source.member_output(number)
                doc_id = url or origin
                status = record.http_headers.get_statuscode() or ""
                if not status.startswith("2"):
                    yield Raw(doc_id, output, "html", source=url, site=host(url) or source.site, origin=origin,
                              meta={"url": url, "warc_record": number, "http_status": status},
                              dropped=Removal("read", f"HTTP status {status or 'missing'}", "http-status"))
                    continue
                data = record.content_stream().read(options.max_document_bytes + 1)
                if len(data) > options.max_document_bytes:
                    yield Failure(doc_id, f"document too large (> {options.max_document_bytes} bytes)", output, origin)
                    continue
                if getattr(record.raw_stream, "limit", 0):  # fewer bytes than its Content-Length: cut
                    yield Failure(doc_id, "WARC record truncated (archive cut short?)", output, origin)
                    continue
                charset = ctype.partition("charset=")[2].split(";")[0].strip(" \"'")
                yield Raw(doc_id, output, "html", data=data, source=url, site=host(url) or source.site,
                          encoding=charset, meta={"url": url, "warc_record": number}, origin=origin)
            # warcio ends quietly at a cut gzip member: whatever follows the last whole record is lost
            if not source.is_stdin and records.offset < source.path.stat().st_size:
                raise EOFError(f"archive ends in a cut record at byte {records.offset}")
    except Exception as exc:  # warcio raises many kinds of errors for a cut or corrupt archive
        yield Failure(f"{source.rel}#{number + 1}", f"input unreadable after record {number}: {type(exc).__name__}: {exc}",
                      source.output)
