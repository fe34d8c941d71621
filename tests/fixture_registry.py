"""A tiny, fictional registry and archive used by the tests (never the real sources)."""

from __future__ import annotations

import hashlib

ARCHIVE = {
    "planet.txt": (
        "Acme Robotics has raised 2 billion yuan ($280 million) in a round led by Harbour Capital.\n\n\n"
        "The company’s founder, Ada Lovelace, said: “We will open-source our arm controller this year.”"
        "Harbour Capital is controlled by the city of Portville.\n"
    ),
    "wire.txt": (
        "Portville startup Acme Robotics secured 2 billion yuan — about $275 million — from investors led by "
        "Harbour Capital in May 2024.The firm was founded in 2019.\n"
    ),
}


def sha(name: str) -> str:
    return hashlib.sha256(ARCHIVE[name].encode("utf-8")).hexdigest()


HEADER = "# yaml-language-server: $schema=registry.schema.json\n"

FILES = {
    "briefing.yaml": HEADER
    + """briefing:
  title: Acme Robotics at a glance
  subject: acme
  summary: A fictional robotics firm, used to test the briefing generator.
  as_of: 2024-06
  key_points: [may-2024-round, acme-founded]
  key_numbers:
    - fact: may-2024-round
      label: The May 2024 round
""",
    "topics.yaml": HEADER
    + """topics:
  - id: funding
    title: Funding
    description: Money raised.
  - id: company
    title: Company
    description: Founding and people.
""",
    "sources.yaml": HEADER
    + f"""sources:
  - id: planet
    title: Acme raises 2 billion yuan
    publisher: Daily Planet
    author: Lois Lane
    published: 2024-05-03
    url: https://planet.example/acme?id=1&ref=feed
    kind: news-report
    archive:
      file: planet.txt
      sha256: {sha("planet.txt")}
    reliability: Original reporting.
    summary: Reports the round and a promise to open-source.
  - id: wire
    title: Portville startup secures funding
    publisher: The Wire
    published: 2024-05
    kind: repost
    archive:
      file: wire.txt
      sha256: {sha("wire.txt")}
    reliability: A repost.
    summary: Reports the round with a different dollar figure.
""",
    "entities.yaml": HEADER
    + """entities:
  - id: acme
    name: Acme Robotics
    kind: organisation
    aliases: [Acme]
    description: A fictional robot maker.
  - id: harbour-capital
    name: Harbour Capital
    kind: organisation
    description: A fictional state-backed investor.
    controlled_by: {entity: portville, fact: harbour-control}
  - id: portville
    name: Portville
    kind: place
    description: A fictional city.
  - id: ada-lovelace
    name: Ada Lovelace
    kind: person
    description: Founder of Acme.
""",
    "facts.yaml": HEADER
    + """facts:
  - id: may-2024-round
    statement: Acme raised 2 billion yuan in a round led by Harbour Capital.
    topic: funding
    date: 2024-05
    entities: [acme, harbour-capital]
    value: {amount: 2000000000, unit: CNY}
    converted:
      - {amount: 280000000, unit: USD, source: planet}
      - {amount: 275000000, unit: USD, qualifier: about, source: wire}
    tags: [funding-round]
    citations:
      - source: planet
        quote: "Acme Robotics has raised 2 billion yuan ($280 million) in a round led by Harbour Capital"
      - source: wire
        quote: "secured 2 billion yuan - about $275 million - from investors led by Harbour Capital"
  - id: harbour-control
    statement: Harbour Capital is controlled by the city of Portville.
    topic: funding
    entities: [harbour-capital, portville]
    citations:
      - source: planet
        quote: Harbour Capital is controlled by the city of Portville.
  - id: acme-founded
    statement: Acme was founded in 2019.
    topic: company
    date: "2019"
    entities: [acme]
    citations:
      - source: wire
        quote: "May 2024. The firm was founded in 2019."
  - id: open-source-promise
    statement: "Ada Lovelace said Acme would open-source its arm controller in 2024."
    topic: company
    date: 2024-05-03
    entities: [acme, ada-lovelace]
    claimed_by: [ada-lovelace]
    citations:
      - source: planet
        quote: "We will open-source our arm controller this year."
        speaker: ada-lovelace
""",
    "disagreements.yaml": HEADER
    + """disagreements:
  - id: may-round-dollars
    subject: The dollar value of the May 2024 round
    facts: [may-2024-round]
    verdict: reconcilable
    variants:
      - claim: $280 million
        value: {amount: 280000000, unit: USD}
        citations:
          - source: planet
            quote: 2 billion yuan ($280 million)
      - claim: About $275 million
        value: {amount: 275000000, unit: USD, qualifier: about}
        rank: preferred
        reason: The wire gives the conversion with its qualifier.
        citations:
          - source: wire
            quote: about $275 million
    note: Both convert the same yuan amount; the exchange rates differ.
""",
}
