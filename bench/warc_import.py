"""WARC import throughput: warcio against FastWARC, reading alone and as ``newsrack import``.

Writes a gzip WARC of ``--records`` response records (article pages shaped like
a news site's: menus, teasers and a footer, about 300 links, a script, a style
and JSON-LD; ``tests/support/warcfiles.news_page``) with warcio, then, for each
reader, ``--repeat`` times, alternating:

* **read**: iterate the file, parse each record's HTTP head and read its
  payload (what any import must do), nothing else;
* **import**: the same, each page handed to ``WarcImporter.ingest`` (decode,
  generic parser, archive: pages row, zstd raw body, article, revision, FTS5)
  into a fresh archive; FastWARC through ``WarcImporter.import_file`` (what
  ``newsrack import`` runs), warcio through a loop of the same shape.

Prints the median records/s of each in a Markdown table.

    .venv/bin/python bench/warc_import.py [--records 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scraper.archive import Archive  # noqa: E402
from scraper.warcimport import WarcImporter, WarcPage  # noqa: E402
from tests.support.warcfiles import Rec, news_page, write_warc  # noqa: E402


def make_file(path: Path, records: int) -> None:
    write_warc(
        path,
        (
            Rec(
                f"https://news.example/2025/05/09/story-{n}.html",
                news_page(n),
                date=f"2025-05-09T{10 + n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}Z",
            )
            for n in range(records)
        ),
    )


def read_warcio(path: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator

    count = 0
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type == "response":
                record.http_headers.get_statuscode()
                record.content_stream().read()
                count += 1
    return count


def read_fastwarc(path: Path) -> int:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    count = 0
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, auto_decode="all"):
            if record.record_type == WarcRecordType.response:
                _ = record.http_headers.status_code
                record.reader.read()
                count += 1
    return count


def import_fastwarc(path: Path, db: Path) -> int:
    with Archive(db) as archive:
        importer = WarcImporter(archive, [])
        importer.import_file(path)
        return importer.counts.new_articles


def import_warcio(path: Path, db: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator

    with Archive(db) as archive:
        importer = WarcImporter(archive, [])
        with path.open("rb") as stream:
            iterator = ArchiveIterator(stream)
            for record in iterator:
                if record.rec_type != "response":
                    continue
                http = record.http_headers
                if http.get_statuscode() != "200":
                    continue
                date = record.rec_headers.get_header("WARC-Date")
                body = record.content_stream().read()  # (before the offset: that skips it)
                importer.ingest(
                    WarcPage(
                        iterator.get_record_offset(),
                        record.rec_headers.get_header("WARC-Target-URI"),
                        datetime.fromisoformat(date.replace("Z", "+00:00")).astimezone(UTC),
                        body,
                        http.get_header("Content-Type"),
                        http.get_header("ETag"),
                        http.get_header("Last-Modified"),
                    )
                )
        return importer.counts.new_articles


def timed(work, *args) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of this process, result) of ``work(*args)``."""
    started, cpu = time.perf_counter(), time.process_time()
    result = work(*args)
    return time.perf_counter() - started, time.process_time() - cpu, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsrack-warc-bench-") as tmp:
        work = Path(tmp)
        warc = work / "news.warc.gz"
        make_file(warc, args.records)
        raw = sum(len(news_page(n)) for n in range(args.records))
        rates: dict[tuple[str, str], list[float]] = {}
        for run in range(args.repeat):
            for reader, read, load in (
                ("warcio", read_warcio, import_warcio),
                ("fastwarc", read_fastwarc, import_fastwarc),
            ):
                for step, task, extra in (
                    ("read", read, ()),
                    ("import", load, (work / f"{reader}-{run}.db",)),
                ):
                    wall, cpu, done = timed(task, warc, *extra)
                    assert done == args.records, (reader, step, done)
                    rates.setdefault((reader, step), []).append(done / wall)
                    rates.setdefault((reader, f"{step} cpu"), []).append(done / cpu)
        print(
            f"{args.records} response records, {raw / args.records / 1024:.1f} KiB of HTML each, "
            f"{warc.stat().st_size / 1e6:.1f} MB gzip WARC; median of {args.repeat} runs; "
            f"Python {sys.version.split()[0]}, warcio {version('warcio')}, "
            f"FastWARC {version('fastwarc')}"
        )
        print()
        steps = ("read", "read cpu", "import", "import cpu")
        print("| reader | read records/s | per CPU s | import records/s | per CPU s |")
        print("|---|---:|---:|---:|---:|")
        for reader in ("warcio", "fastwarc"):
            cells = [f"{statistics.median(rates[(reader, step)]):,.0f}" for step in steps]
            print(f"| {reader} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
