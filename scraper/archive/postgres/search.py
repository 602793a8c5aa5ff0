"""Full-text search on PostgreSQL: ``articles_fts`` tsvectors, ranked by ``ts_rank_cd``.

Quoting as on SQLite: by default every whitespace-separated term is a phrase
(``phraseto_tsquery``), all of them required, so ``l'extinction``,
``Inde-Pakistan`` and ``covid-19`` find their articles; ``raw=True`` passes
PostgreSQL's tsquery syntax through ``to_tsquery`` (``a & (b | c)``, ``pre:*``,
``a <-> b``), and a query it cannot read is a ``QueryError``. Accents are ignored
(the ``newsrack`` configuration's ``unaccent``). Ranking is as close to SQLite's
``bm25(10, 4, 1)`` as PostgreSQL allows: ``ts_rank_cd`` with weights title 1.0,
lead 0.4, body 0.1 and normalization 1 (divided by 1 + log of the length, for
bm25's length penalty); ``rank`` is returned negated, so lower is better on both
engines. Snippets come from ``ts_headline`` over the first of body (its start),
lead and title that matches (told apart by the stored vector's weights, so no
text is parsed twice), computed for the returned rows only.
"""

from __future__ import annotations

from typing import Any

from scraper.archive.postgres.connection import PgConnection
from scraper.archive.postgres.errors import pg_error
from scraper.archive.postgres.session import pg_params, pg_sql
from scraper.archive.reading import ARTICLE_TIME, NO_WINDOW, ArchiveReading, TimeWindow, window_sql
from scraper.archive.values import repair_text
from scraper.errors import QueryError

#: ts_rank_cd weights, in PostgreSQL's order {D, C, B, A}: body, -, lead, title.
RANK_WEIGHTS = "{0.1, 0.1, 0.4, 1.0}"
SNIPPET_BODY_CHARS = 5_000


class PgSearch(ArchiveReading, PgConnection):
    """Search on the tsvector table ``articles_fts``."""

    LIKE = "ILIKE"

    def ts_query(self, text: str, *, raw: bool = False) -> tuple[str, list[str]]:
        """The tsquery expression (SQL, params) for a user's query; QueryError when it is too
        long, has too many terms, or has no word to look for."""
        text = repair_text(text).replace("\x00", " ")  # a NUL separates words, as on SQLite
        terms = text.split()
        self.check_query(text, len(terms))
        if raw:
            return "to_tsquery('newsrack', ?)", [text]
        return " && ".join("phraseto_tsquery('newsrack', ?)" for _ in terms), terms

    def search_articles(
        self,
        query: str,
        *,
        raw: bool = False,
        site: str | None = None,
        window: TimeWindow = NO_WINDOW,
        limit: int = 20,
        highlight: tuple[str, str] = ("[", "]"),
    ) -> list[dict[str, Any]]:
        """The best ``limit`` articles matching ``query``, best first: url, title,
        published_at, site, snippet, rank."""
        expression, params = self.ts_query(query, raw=raw)
        start, stop = (marker.replace('"', "") for marker in highlight)
        options = (
            f'StartSel="{start}", StopSel="{stop}", MaxWords=16, MinWords=12, '
            'MaxFragments=0'
        )
        filters, filter_params = "", []
        if site:
            filters += " AND a.site = ?"
            filter_params.append(site)
        for extra, extra_params in (
            window_sql(ARTICLE_TIME, window.since, window.until),
            window_sql("a.first_seen", window.seen_since, window.seen_until),
        ):
            filters += extra
            filter_params += extra_params
        body = f"left(coalesce(a.body, ''), {SNIPPET_BODY_CHARS})"
        sql = (
            f"WITH q AS (SELECT {expression} AS query), top AS ("
            f"  SELECT a.id, f.document, "
            f"ts_rank_cd('{RANK_WEIGHTS}', f.document, q.query, 1) AS score"
            "   FROM q, articles_fts f JOIN articles a ON a.id = f.article_id"
            f"  WHERE f.document @@ q.query{filters} ORDER BY score DESC, a.id LIMIT ?"
            ") SELECT a.canonical_url AS url, a.title, a.published_at, a.site, "
            "ts_headline('newsrack', CASE "
            f"  WHEN ts_filter(top.document, '{{d}}') @@ q.query THEN {body}"
            "   WHEN ts_filter(top.document, '{b}') @@ q.query THEN a.lead"
            "   ELSE a.title END, q.query, ?) AS snippet, -top.score AS rank "
            "FROM top JOIN articles a ON a.id = top.id, q ORDER BY top.score DESC, a.id"
        )
        all_params = [*params, *filter_params, limit, options]
        from psycopg import errors

        try:
            cursor = self.conn.execute(pg_sql(sql), pg_params(all_params))
            names = [d.name for d in cursor.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        except errors.SyntaxError as exc:
            raise QueryError(
                f"cannot read the search query {query!r}: {' '.join(str(exc).split())}; "
                "without --raw every word is searched as written"
            ) from exc
        except self._error as exc:
            raise pg_error(self.path, exc) from exc
