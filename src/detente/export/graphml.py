"""Actors and events as a GraphML graph (for Gephi, yEd, networkx, igraph).

An event is a node of its own, linked from each source actor (edge role ``source``) and to
each target actor (edge role ``target``): one-actor events, events with several sources and
their evidence all fit without losing anything, and projecting onto actor–actor edges is
one step in any graph tool. Nodes carry ``kind`` = ``actor`` or ``event``; actor nodes
have ``code``, ``label`` (the name) and ``actor_kind`` (state, person, igo …); every attribute is
declared in a ``<key>``.
"""

from __future__ import annotations

from typing import Iterable, TextIO
from xml.sax.saxutils import escape, quoteattr

from detente.export import citations

NODE_KEYS = (
    ("kind", "string"), ("label", "string"), ("code", "string"), ("actor_kind", "string"), ("country", "string"), ("sector", "string"),
    ("type", "string"), ("cameo", "string"), ("quad_class", "int"), ("goldstein", "double"), ("date", "string"),
    ("date_start", "string"), ("date_end", "string"), ("precision", "string"), ("modality", "string"),
    ("negated", "boolean"), ("confidence", "double"), ("sources_count", "int"), ("evidence", "string"),
)
EDGE_KEYS = (("role", "string"),)


def _data(key: str, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = "true" if value else "false"
    return f'<data key="{key}">{escape(str(value))}</data>'


def write_graphml(events: Iterable[dict], actors: dict[str, dict], stream: TextIO) -> int:
    """`actors`: code → {name, kind, country, sector} for the actors the events name. Returns the event count."""
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                 'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                 'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    for name, kind in NODE_KEYS:
        stream.write(f'  <key id="{name}" for="node" attr.name="{name}" attr.type="{kind}"/>\n')
    for name, kind in EDGE_KEYS:
        stream.write(f'  <key id="{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>\n')
    stream.write('  <graph id="detente" edgedefault="directed">\n')
    written_actors: set[str] = set()
    count = 0

    def actor_node(actor: dict) -> str:
        code = actor.get("code") or "?"
        if code not in written_actors:
            written_actors.add(code)
            known = actors.get(code) or {}
            stream.write(f'    <node id={quoteattr("actor:" + code)}>{_data("kind", "actor")}'
                         f'{_data("label", known.get("name") or actor.get("name") or code)}{_data("code", code)}'
                         f'{_data("actor_kind", known.get("kind"))}{_data("country", known.get("country") or actor.get("country"))}'
                         f'{_data("sector", known.get("sector") or actor.get("sector"))}</node>\n')
        return "actor:" + code

    for event in events:
        count += 1
        node = "event:" + event["id"]
        when = event.get("date") or {}
        evidence = citations(event.get("mentions") or [])
        edges: list[str] = []
        for side, role in (("source", "source"), ("target", "target")):
            for actor in event.get(side) or []:
                code = actor_node(actor)
                ends = (code, node) if role == "source" else (node, code)
                edges.append(f'    <edge source={quoteattr(ends[0])} target={quoteattr(ends[1])}>{_data("role", role)}</edge>\n')
        stream.write(f'    <node id={quoteattr(node)}>{_data("kind", "event")}{_data("label", event.get("type"))}'
                     f'{_data("type", event.get("type"))}{_data("cameo", event.get("cameo"))}'
                     f'{_data("quad_class", event.get("quad_class"))}{_data("goldstein", event.get("goldstein"))}'
                     f'{_data("date", when.get("value"))}{_data("date_start", when.get("start"))}'
                     f'{_data("date_end", when.get("end"))}{_data("precision", when.get("precision"))}'
                     f'{_data("modality", event.get("modality"))}{_data("negated", bool(event.get("negated")))}'
                     f'{_data("confidence", event.get("confidence"))}{_data("sources_count", event.get("sources_count"))}'
                     f'{_data("evidence", evidence)}</node>\n')
        stream.writelines(edges)  # GraphML lets nodes and edges interleave: nothing is held for the end
    stream.write("  </graph>\n</graphml>\n")
    return count
