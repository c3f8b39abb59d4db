"""The raw zone: every request/response pair of a run written to raw/<source>/<run>.warc.gz (warcio)."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scrapers.client import FetchResult

log = logging.getLogger(__name__)
DROP_HEADERS = {"transfer-encoding", "connection", "keep-alive"}


def _complete_length(path: Path) -> int:
    """Byte length of the archive's complete records (a crashed run may leave a torn last record)."""
    end = 0
    with path.open("rb") as fh:
        iterator = ArchiveIterator(fh)
        try:
            for record in iterator:
                record.raw_stream.read()
                iterator.read_to_end()
                end = iterator.get_record_offset() + iterator.get_record_length()
        except Exception as exc:  # torn gzip member or header: keep what precedes it
            log.warning("%s: dropping a damaged tail after byte %d (%s)", path, end, exc)
    return end


class RawStore:
    """Append-only WARC writer for one source and run; reopening after a crash truncates a torn tail."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            keep = _complete_length(path)
            with path.open("r+b") as fh:
                fh.truncate(keep)
        self._fh = path.open("ab")
        self._writer = WARCWriter(self._fh, gzip=True)

    def close(self) -> None:
        """Flush and close the archive."""
        self._fh.close()

    def write(self, result: FetchResult) -> int | None:
        """Write the response (and its request) and return the response record's offset; None if nothing came back."""
        if result.status is None:
            return None
        date = result.started.strftime("%Y-%m-%dT%H:%M:%SZ")
        headers = [(k.title(), v) for k, v in result.headers.items() if k not in DROP_HEADERS and k != "content-length"]
        headers.append(("Content-Length", str(len(result.raw))))
        http = StatusAndHeaders(f"{result.status} {_reason(result.status)}", headers, protocol="HTTP/1.1")
        offset = self._fh.tell()
        response = self._writer.create_warc_record(
            result.final_url, "response", payload=io.BytesIO(result.raw), http_headers=http,
            warc_headers_dict={"WARC-Date": date},
        )
        self._writer.write_record(response)
        req_headers = StatusAndHeaders(
            f"GET {result.final_url} HTTP/1.1", list(result.request_headers.items()), is_http_request=True)
        request = self._writer.create_warc_record(
            result.final_url, "request", http_headers=req_headers,
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")},
        )
        self._writer.write_record(request)
        self._fh.flush()
        return offset


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def read_capture(path: Path, offset: int) -> tuple[str, dict[str, str], bytes]:
    """(URL, headers, decoded body) of the response record at an offset."""
    with path.open("rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        uri = record.rec_headers.get_header("WARC-Target-URI")
        headers = {k.lower(): v for k, v in record.http_headers.headers} if record.http_headers else {}
        return uri, headers, record.content_stream().read()


def iter_captures(path: Path) -> list[tuple[str, int, int]]:
    """(URL, status, offset) of every response record in an archive."""
    out = []
    with path.open("rb") as fh:
        iterator = ArchiveIterator(fh)
        for record in iterator:
            if record.rec_type == "response" and record.http_headers is not None:
                out.append((record.rec_headers.get_header("WARC-Target-URI"),
                            int(record.http_headers.get_statuscode()), iterator.get_record_offset()))
    return out
