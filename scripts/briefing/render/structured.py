"""Machine-readable claims about the site in schema.org's vocabulary, as JSON-LD.

The home page describes the downloads as a Dataset; the disagreements page reviews each claim
the registry marks erroneous (a ClaimReview, rating 1 of 5, "Erroneous"), naming where the claim
appeared. Both are <script type="application/ld+json"> blocks, escaped so that no text in them
can end the script.
"""

from __future__ import annotations

import json

from markupsafe import Markup

from briefing.render.downloads import DOWNLOADS, address
from briefing.render.index import Index

LICENCE = "https://creativecommons.org/licenses/by/4.0/"


def script(data: dict | list) -> Markup:
    """A JSON-LD block whose text cannot close the <script> element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')


def dataset(index: Index) -> Markup:
    """The downloads as a schema.org Dataset, with the briefing's editors (briefing.toml) when it names them."""
    briefing = index.briefing
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": briefing.title,
        "description": briefing.summary,
        "license": LICENCE,
        "isAccessibleForFree": True,
        "temporalCoverage": f"../{briefing.as_of.iso}",
        "distribution": [
            {
                "@type": "DataDownload",
                "name": d.name,
                "description": d.about,
                "encodingFormat": d.mediatype,
                "contentUrl": address(index, f"data/{d.name}"),
            }
            for d in DOWNLOADS
        ],
    }
    if index.settings.editors:
        data["editor"] = [{"@type": "Person", "name": name} for name in index.settings.editors]
    return script(data)


def claim_reviews(index: Index) -> Markup | None:
    reviews = []
    for d in index.registry.disagreements:
        for variant in d.variants:
            if variant.rank != "erroneous":
                continue
            appearances = []
            for citation in variant.citations:
                source = index.sources[citation.source]
                work = {"@type": "CreativeWork", "name": source.title, "datePublished": source.published.iso}
                work["publisher"] = {"@type": "Organization", "name": source.publisher}
                if source.url:
                    work["url"] = source.url
                appearances.append(work)
            reviews.append(
                {
                    "@context": "https://schema.org",
                    "@type": "ClaimReview",
                    "url": f"#{d.id}",
                    "claimReviewed": variant.claim,
                    "reviewBody": " ".join(
                        part
                        for part in (
                            variant.reason,
                            variant.outside_knowledge and f"Our own knowledge: {variant.outside_knowledge}",
                        )
                        if part
                    ),
                    "itemReviewed": {"@type": "Claim", "appearance": appearances},
                    "reviewRating": {
                        "@type": "Rating",
                        "ratingValue": 1,
                        "worstRating": 1,
                        "bestRating": 5,
                        "alternateName": "Erroneous",
                    },
                    "author": {"@type": "Organization", "name": index.briefing.title},
                }
            )
    return script(reviews) if reviews else None
