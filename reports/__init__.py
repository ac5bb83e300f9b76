"""Reviewer-facing HTML: one report per packet (``report.html``) and the batch index (``index.html``).

Public API: ``render_packet(verdict, packet_out)``, ``render_packet_from_file(packet_out)``,
``render_index(out_root)``, plus the ``*_html`` variants that return the text.
"""

from reports.render import (
    IndexEntry,
    collect_index_entries,
    render_index,
    render_index_html,
    render_packet,
    render_packet_from_file,
    render_packet_html,
)

__all__ = [
    "IndexEntry",
    "collect_index_entries",
    "render_index",
    "render_index_html",
    "render_packet",
    "render_packet_from_file",
    "render_packet_html",
]
